// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QPushButton;
class QTableView;

namespace Core {
class AccountService;
struct AccountRecord;
} // namespace Core

namespace Console {

class AccountTableModel;
class MessageBanner;

/// The Accounts page: the upstream account pool with each account's state, quota windows with reset
/// countdowns and today's requests and tokens; import of a Codex CLI auth.json, OpenAI-compatible
/// accounts, set token, pause/resume/remove, and the routing strategy. Every change is published to
/// the running proxy. GUI thread.
class AccountsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit AccountsPage(ConsoleContext &context, QWidget *parent = nullptr);
    ~AccountsPage() override;

    AccountTableModel &model() const { return *m_model; }

    // The ways to add an account, also offered by Get started and the empty table.
    void signIn(bool deviceCode);
    void importAuthJson();
    void addOpenAI();

private:
    void reload();
    void loadToday();
    void setToken();
    void setCa();
    QString chooseCaFile(QWidget &dialog);
    /// The PEM of the CA file at @p path (empty path: none); nullopt after showing "@p refusal: why".
    std::optional<QByteArray> readCaFile(const QString &path, const QString &refusal);
    void setPaused(bool paused);
    void removeAccount();
    void changeRouting(int index);
    void updateActions();
    std::optional<Core::AccountRecord> selectedAccount() const;
    /// Publishes a change to the proxy and shows @p message (or the error of @p error).
    void changed(const QString &message);
    void showError(const QString &message);

    ConsoleContext &m_context;
    std::unique_ptr<Core::AccountService> m_service;
    AccountTableModel *m_model = nullptr;
    MessageBanner *m_banner = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_routing = nullptr;
    QPushButton *m_setToken = nullptr;
    QPushButton *m_setCa = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_remove = nullptr;
    QTimer m_clock; // countdowns
};

} // namespace Console
