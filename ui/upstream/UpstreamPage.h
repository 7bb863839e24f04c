// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Core {
class UpstreamProbe;
struct UpstreamProbeResult;
} // namespace Core

namespace Console {

class MessageBanner;

/// The Upstream page: where the proxy relays to (kind, base URL, account id, whether a token is
/// stored — never the token), a form to change it (the token goes into the secret store),
/// "Import ~/.codex/auth.json" and "Test connection" (an asynchronous UpstreamProbe of the saved
/// upstream). Every change is published to the running proxy. GUI thread.
class UpstreamPage final : public QWidget
{
    Q_OBJECT

public:
    explicit UpstreamPage(ConsoleContext &context, QWidget *parent = nullptr);

private:
    void buildForm();
    /// Re-reads the row and whether a token is stored; refills the form unless it was edited.
    void refresh();
    void save();
    void importCodexAuth();
    void testConnection();
    void showTestResult(const Core::UpstreamProbeResult &result);
    void selectKind(int index);
    void changed(const QString &message);

    ConsoleContext &m_context;
    Core::UpstreamProbe *m_probe = nullptr;
    MessageBanner *m_banner = nullptr;
    QLabel *m_kind = nullptr;
    QLabel *m_baseUrl = nullptr;
    QLabel *m_accountId = nullptr;
    QLabel *m_tokenState = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
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
