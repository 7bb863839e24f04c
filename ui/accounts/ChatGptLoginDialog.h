// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/accounts/AccountTokens.h"
#include "app/core/accounts/oauth/OAuthEndpoints.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Core {
class BrowserLogin;
class DeviceCodeLogin;
} // namespace Core

namespace Console {

/// A ChatGPT sign-in in progress. Browser mode: the authorize URL (open in the browser, or copy it),
/// the local callback on port 1455, and a field to paste the URL the browser ended on (for a browser
/// on another machine). Device mode: the code to enter at the verification URL. Accepts itself with
/// the tokens when the sign-in succeeded; failures stay visible. GUI thread.
class ChatGptLoginDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { Browser, DeviceCode };

    ChatGptLoginDialog(Mode mode, const Core::OAuthEndpoints &endpoints, QWidget *parent = nullptr);
    ~ChatGptLoginDialog() override;

    Core::AccountTokens tokens() const { return m_tokens; }

private:
    void showUrl(const QUrl &url);
    void succeed(const Core::AccountTokens &tokens);
    void fail(const QString &message);
    void usePastedUrl();

    Core::BrowserLogin *m_browser = nullptr;
    Core::DeviceCodeLogin *m_device = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_code = nullptr;
    QLineEdit *m_paste = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_open = nullptr;
    Core::AccountTokens m_tokens;
};

} // namespace Console
