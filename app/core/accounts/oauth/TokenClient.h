// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/accounts/AccountTokens.h"
#include "app/core/accounts/oauth/OAuthEndpoints.h"
#include "app/core/accounts/oauth/OAuthError.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace Core {

/// The outcome of one token request: tokens, or a classified error.
struct TokenResult final
{
    AccountTokens tokens;
    std::optional<OAuthError> error;

    bool ok() const { return !error.has_value(); }
    QString errorMessage() const { return error ? error->message : QString(); }
    static TokenResult failure(OAuthError error)
    {
        TokenResult result;
        result.error = std::move(error);
        return result;
    }
};

/// Talks to `{auth}/oauth/token`: the authorization-code exchange of a login (form-encoded, §5.3)
/// and the refresh of a ChatGPT account (JSON, 8 s, §5.4). Fills email, account id and plan from
/// the id token (falling back to the access token's claims) and the expiry from `expires_in` or the
/// access token's `exp`. Any number of requests may run at once; each callback runs exactly once,
/// later, on this object's thread, unless the client is destroyed or abortAll() is called first.
/// Lives on the main thread (its QNetworkAccessManager is its child). Never logs tokens.
class TokenClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenClient)

public:
    using Callback = std::function<void(const Core::TokenResult &)>;

    static constexpr int RefreshTimeoutMs = 8'000;
    static constexpr int ExchangeTimeoutMs = 30'000;

    explicit TokenClient(OAuthEndpoints endpoints, QObject *parent = nullptr);
    ~TokenClient() override;

    const OAuthEndpoints &endpoints() const { return m_endpoints; }
    void setRefreshTimeoutMs(int timeoutMs) { m_refreshTimeoutMs = timeoutMs; }
    void setExchangeTimeoutMs(int timeoutMs) { m_exchangeTimeoutMs = timeoutMs; }

    /// POST {auth}/oauth/token, form-encoded `grant_type=authorization_code`, client_id, code,
    /// code_verifier, redirect_uri. A success has an access and a refresh token.
    void exchangeCode(const QString &code, const QByteArray &verifier, const QUrl &redirectUri,
                      Callback done);
    /// POST {auth}/oauth/token, JSON `{"grant_type":"refresh_token","client_id","refresh_token","scope"}`.
    /// A success has a new access AND a new refresh token (refresh tokens rotate); an answer
    /// without a refresh token is an error. The id token may be missing: the result's idToken and
    /// claims are then empty, meaning "unchanged".
    void refresh(const QString &refreshToken, Callback done);

    /// Reads a successful token answer (`access_token`, `refresh_token`, `id_token`, `expires_in`)
    /// received at @p now. Pure; an answer without an access or a refresh token is an error.
    static TokenResult parseTokenResponse(const QByteArray &body, const QDateTime &now);

    int pendingCount() const { return int(m_pending.size()); }
    /// Drops every running request; their callbacks are not called.
    void abortAll();

private:
    struct Pending final
    {
        Callback done;
        QStringList secrets; ///< values to keep out of error texts
        int timeoutMs = 0;
        bool timedOut = false;
    };

    void send(const QNetworkRequest &request, const QByteArray &body, int timeoutMs, QStringList secrets,
              Callback done);
    void onFinished(QNetworkReply *reply);

    OAuthEndpoints m_endpoints;
    QNetworkAccessManager *m_network;
    QHash<QNetworkReply *, Pending> m_pending;
    int m_refreshTimeoutMs = RefreshTimeoutMs;
    int m_exchangeTimeoutMs = ExchangeTimeoutMs;
};

} // namespace Core
