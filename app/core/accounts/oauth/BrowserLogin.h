// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/accounts/AccountTokens.h"
#include "app/core/accounts/oauth/OAuthEndpoints.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace Core {

class TokenClient;

/// One ChatGPT browser login with PKCE (reference §5.3): listens for the redirect on
/// 127.0.0.1:<callbackPort> (1455, the port registered with the client id), builds the authorize
/// URL (the caller opens it in the browser), checks the state, exchanges the code and reports the
/// tokens. On a remote machine the user can instead paste the final callback URL from the address
/// bar (completeWithCallbackUrl). One login per object; start() again begins a new one.
/// Lives on the main thread. Never logs tokens, codes or the verifier.
class BrowserLogin final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserLogin)

public:
    enum class CallbackMode
    {
        LocalServer, ///< listen for the browser's redirect (the paste flow works as well)
        PasteOnly    ///< no server: only completeWithCallbackUrl() completes the login
    };

    static constexpr int DefaultTimeoutMs = 10 * 60 * 1000;

    explicit BrowserLogin(OAuthEndpoints endpoints, QObject *parent = nullptr);
    ~BrowserLogin() override;

    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }

    /// Begins a login: new verifier and state, the callback server (LocalServer), then
    /// authorizeUrlReady() — or failed() when the port cannot be bound. Both are emitted queued.
    void start(CallbackMode mode = CallbackMode::LocalServer);
    /// The paste flow: completes the running login with the callback URL the browser ended on.
    /// A URL that does not parse, carries an error, or belongs to another login (state mismatch)
    /// is refused here and the login keeps waiting; otherwise the code is exchanged and
    /// succeeded()/failed() follow.
    Status completeWithCallbackUrl(const QString &callbackUrl);
    /// Stops the running login without a signal.
    void cancel();

    bool isRunning() const { return m_phase != Phase::Idle; }
    QUrl authorizeUrl() const { return m_authorizeUrl; }
    /// The redirect_uri of the running login (its port is the bound port).
    QUrl redirectUri() const { return m_redirectUri; }
    /// The port the callback server listens on; 0 when none.
    quint16 callbackPort() const;

signals:
    void authorizeUrlReady(const QUrl &url);
    void succeeded(const Core::AccountTokens &tokens);
    void failed(const QString &message);

private:
    enum class Phase
    {
        Idle,
        Waiting,
        Exchanging
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handleCallback(QTcpSocket *socket, const QByteArray &method, const QByteArray &target);
    void exchange(const QString &code, QTcpSocket *browser);
    void fail(const QString &message);
    void stopServer();

    OAuthEndpoints m_endpoints;
    TokenClient *m_tokens;
    QTcpServer *m_server = nullptr;
    QTimer m_timeout;
    int m_timeoutMs = DefaultTimeoutMs;
    Phase m_phase = Phase::Idle;
    QByteArray m_verifier;
    QString m_state;
    QUrl m_redirectUri;
    QUrl m_authorizeUrl;
    quint64 m_generation = 0; ///< ignores answers that belong to a cancelled login
};

} // namespace Core
