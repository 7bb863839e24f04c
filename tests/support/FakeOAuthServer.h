// SPDX-License-Identifier: MIT
#pragma once

#include "tests/support/FakeUpstream.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QUrl>

#include <optional>

namespace Core {

/// A fake ChatGPT auth server (auth.openai.com) for tests, on a real HTTP server (FakeUpstream's
/// handler) at 127.0.0.1:<ephemeral>:
/// - GET /oauth/authorize: checks the PKCE query, remembers the code_challenge and redirects (302)
///   to redirect_uri?code=…&state=… (or ?error=… when setAuthorizeError()).
/// - POST /oauth/token: `authorization_code` (form or JSON: checks code, client_id, redirect_uri and
///   base64url(SHA-256(code_verifier)) == the challenge; codes are single use) and `refresh_token`
///   (ROTATING: each refresh token works once; a reuse gets 400 {"error":"refresh_token_reused"}).
///   Answers carry an id token JWT with the identity's email / account id / plan / user id.
/// - POST /api/accounts/deviceauth/usercode and …/deviceauth/token: a device flow that answers
///   "pending" (403) N times, then an authorization code + verifier (or tokens), or never.
/// - setFailure(): make any endpoint answer 500, 400 invalid_grant or 404.
/// Lives on the thread that creates it (needs that thread's event loop).
class FakeOAuthServer final : public QObject
{
    Q_DISABLE_COPY_MOVE(FakeOAuthServer)

public:
    enum class Endpoint
    {
        Authorize,
        Token,
        DeviceUserCode,
        DeviceToken
    };
    enum class Failure
    {
        None,
        ServerError,  ///< 500 {"error":"server_error"}
        InvalidGrant, ///< 400 {"error":"invalid_grant"}
        NotFound      ///< 404
    };
    struct Identity final
    {
        QString email = QStringLiteral("user@example.com");
        QString accountId = QStringLiteral("acct-fake-1");
        QString planType = QStringLiteral("plus");
        QString userId = QStringLiteral("user-fake-1");
    };

    static constexpr auto DefaultClientId = "app_EMoamEEZ73f0CkXaXp7hrann";

    explicit FakeOAuthServer(QObject *parent = nullptr);
    ~FakeOAuthServer() override;

    QUrl baseUrl() const { return m_http.baseUrl(); }
    quint16 port() const { return m_http.port(); }
    Proxy::FakeUpstream &http() { return m_http; }

    void setIdentity(const Identity &identity) { m_identity = identity; }
    const Identity &identity() const { return m_identity; }
    void setClientId(const QString &clientId) { m_clientId = clientId; }
    /// expires_in of issued access tokens; 0 omits it (the access token's exp still says it).
    void setExpiresInSeconds(int seconds) { m_expiresIn = seconds; }
    /// Delay before every /oauth/token answer (keeps a refresh in flight).
    void setTokenDelayMs(int delayMs) { m_tokenDelayMs = delayMs; }
    void setFailure(Endpoint endpoint, Failure failure) { m_failures.insert(endpoint, failure); }
    /// The authorize endpoint redirects with error=@p error (empty: normal code redirect).
    void setAuthorizeError(const QString &error, const QString &description = {});
    /// Refresh answers leave out the new refresh token (a broken server).
    void setOmitRefreshTokenOnRefresh(bool omit) { m_omitRefreshToken = omit; }

    /// Device flow: "pending" answers before success; -1 = never succeeds (the code expires).
    void setDevicePendingPolls(int polls) { m_devicePendingPolls = polls; }
    /// Device flow: `interval` (sent as a string, as the real server does) and `expires_in`.
    void setDeviceTiming(double intervalSeconds, double expiresInSeconds);
    /// Device success answer: an authorization code + verifier (true, default) or tokens.
    void setDeviceReturnsAuthorizationCode(bool code) { m_deviceReturnsCode = code; }
    QString deviceUserCode() const { return QStringLiteral("FAKE-1234"); }

    /// A valid refresh token for the identity, as if a login had just returned it.
    QString issueRefreshToken();
    bool isRefreshTokenValid(const QString &token) const { return m_validRefresh.contains(token); }
    /// The refresh token issued last (by a login, a refresh or issueRefreshToken()).
    QString latestRefreshToken() const { return m_latestRefresh; }
    QString latestAccessToken() const { return m_latestAccess; }
    QString lastCodeChallenge() const { return m_lastChallenge; }

    int refreshRequestCount() const { return m_refreshRequests; }
    int codeExchangeCount() const { return m_codeExchanges; }
    int devicePollCount() const { return m_devicePolls; }

    /// An unsigned JWT (`alg: none`) with @p payload.
    static QString makeJwt(const QJsonObject &payload);
    /// base64url(SHA-256(verifier)) without padding.
    static QByteArray s256(const QByteArray &verifier);

private:
    struct IssuedCode final
    {
        QString challenge;
        QString redirectUri;
    };
    using Reply = Proxy::FakeUpstream::Reply;
    using Request = Proxy::FakeUpstream::Request;

    Reply handle(const Request &request);
    Reply authorize(const Request &request);
    Reply token(const Request &request);
    Reply exchange(const QHash<QString, QString> &form);
    Reply refresh(const QHash<QString, QString> &form);
    Reply deviceUserCode(const Request &request);
    Reply deviceToken(const Request &request);
    std::optional<Reply> injectedFailure(Endpoint endpoint) const;
    QJsonObject issueTokens();
    QString issueCode(const QString &challenge, const QString &redirectUri);

    Proxy::FakeUpstream m_http;
    Identity m_identity;
    QString m_clientId = QString::fromLatin1(DefaultClientId);
    int m_expiresIn = 3600;
    int m_tokenDelayMs = 0;
    QHash<Endpoint, Failure> m_failures;
    QString m_authorizeError;
    QString m_authorizeErrorDescription;
    bool m_omitRefreshToken = false;
    int m_devicePendingPolls = 0;
    QString m_deviceInterval = QStringLiteral("0");
    double m_deviceExpiresIn = 900;
    bool m_deviceReturnsCode = true;

    QHash<QString, IssuedCode> m_codes;
    QSet<QString> m_validRefresh;
    QSet<QString> m_spentRefresh;
    QString m_latestRefresh;
    QString m_latestAccess;
    QString m_lastChallenge;
    int m_serial = 0;
    int m_refreshRequests = 0;
    int m_codeExchanges = 0;
    int m_devicePolls = 0;
};

} // namespace Core
