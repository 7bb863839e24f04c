// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/accounts/AccountTokens.h"
#include "app/core/accounts/oauth/OAuthEndpoints.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace Core {

class TokenClient;

/// One ChatGPT device-code login (reference §5.3): asks `{auth}/api/accounts/deviceauth/usercode`
/// for a user code, reports it with the page to enter it on (`{auth}/codex/device`), then polls
/// `{auth}/api/accounts/deviceauth/token` at the server's interval until the user has signed in
/// (403/404/pending keep it polling; network errors and 5xx too) or the code expires. A success
/// carries tokens or an authorization code + verifier, which is exchanged at /oauth/token with the
/// redirect `{auth}/deviceauth/callback`. Lives on the main thread. Never logs tokens or codes.
class DeviceCodeLogin final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceCodeLogin)

public:
    static constexpr int DefaultIntervalMs = 5'000;    ///< when the server names none
    static constexpr int MinimumIntervalMs = 200;      ///< floor for `interval: 0` / fractions
    static constexpr int DefaultExpiresInMs = 900'000; ///< when the server names none
    static constexpr int RequestTimeoutMs = 30'000;

    explicit DeviceCodeLogin(OAuthEndpoints endpoints, QObject *parent = nullptr);
    ~DeviceCodeLogin() override;

    /// Requests a user code; userCodeReady() or failed() follows.
    void start();
    /// Stops the running login without a signal.
    void cancel();

    bool isRunning() const { return m_running; }
    QString userCode() const { return m_userCode; }
    int pollIntervalMs() const { return m_intervalMs; }

signals:
    void userCodeReady(const QString &userCode, const QUrl &verificationUrl);
    void succeeded(const Core::AccountTokens &tokens);
    void failed(const QString &message);

private:
    QNetworkReply *postJson(const QUrl &url, const QJsonObject &body);
    /// The finished reply's status (0 = no HTTP answer), body and error text; the reply is released.
    struct Answer final
    {
        bool valid = false;
        int status = 0;
        QByteArray body;
        QString errorString;
    };
    Answer takeAnswer();
    void onUserCodeFinished();
    void poll();
    void onPollFinished();
    void finishWith(const QByteArray &body);
    void fail(const QString &message);

    OAuthEndpoints m_endpoints;
    QNetworkAccessManager *m_network;
    TokenClient *m_tokens;
    QPointer<QNetworkReply> m_reply;
    QTimer m_pollTimer;
    QTimer m_expiry;
    bool m_running = false;
    QString m_deviceAuthId;
    QString m_userCode;
    int m_intervalMs = DefaultIntervalMs;
    quint64 m_generation = 0;
};

} // namespace Core
