// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Core {
class UpstreamProbe;
class UpstreamService;
struct UpstreamProbeResult;
} // namespace Core

namespace Console {

class MessageBanner;
class StatusLabel;

/// The Upstream page: one account of the pool, named and chosen at the top (at first the one
/// `keygate upstream show` shows: "default", else the first), with its kind, base URL, account id
/// and whether a token is stored — never the token; a form that changes that same account (the
/// token goes into the secret store), "Import ~/.codex/auth.json" into it and "Test connection" (an
/// asynchronous UpstreamProbe of it). With no account yet, saving creates "default". Every change is
/// published to the running proxy. GUI thread.
class UpstreamPage final : public QWidget
{
    Q_OBJECT

public:
    explicit UpstreamPage(ConsoleContext &context, QWidget *parent = nullptr);

private:
    void buildForm();
    /// Re-reads the accounts, the chosen one's row and whether a token is stored; refills the form
    /// unless it was edited.
    void refresh();
    /// Fills the account chooser, keeping the chosen account while it exists.
    void loadAccounts();
    /// The service acting on the chosen account (UpstreamService's default while there is none).
    Core::UpstreamService service() const;
    /// The chosen account's name ("default" while the pool is empty: saving creates it).
    QString chosenName() const;
    void save();
    void importCodexAuth();
    void testConnection();
    void showTestResult(const Core::UpstreamProbeResult &result);
    void selectKind(int index);
    void changed(const QString &message);

    ConsoleContext &m_context;
    Core::UpstreamProbe *m_probe = nullptr;
    MessageBanner *m_banner = nullptr;
    QComboBox *m_account = nullptr; ///< item data: the account id, none while the pool is empty
    QGroupBox *m_currentBox = nullptr;
    QGroupBox *m_editBox = nullptr;
    QLabel *m_kind = nullptr;
    QLabel *m_baseUrl = nullptr;
    QLabel *m_accountId = nullptr;
    QLabel *m_tokenState = nullptr;
    QPushButton *m_test = nullptr;
    StatusLabel *m_testResult = nullptr;
    QComboBox *m_kindEdit = nullptr;
    QLineEdit *m_baseUrlEdit = nullptr;
    QLineEdit *m_accountIdEdit = nullptr;
    QLineEdit *m_tokenEdit = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_import = nullptr;
    bool m_formEdited = false;
    bool m_tokenStored = false;
};

} // namespace Console
