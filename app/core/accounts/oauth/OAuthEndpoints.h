// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

namespace Core {

/// Where and as whom Keygate signs in to ChatGPT: the Codex CLI's public OAuth client (codex-lb
/// reference §5.2). A plain value; tests override the auth base URL (a fake server) and the
/// callback port (0 = any free port).
struct OAuthEndpoints final
{
    static constexpr quint16 DefaultCallbackPort = 1455; ///< registered with the client id: do not change

    QUrl authBaseUrl = QUrl(QStringLiteral("https://auth.openai.com"));
    QString clientId = QStringLiteral("app_EMoamEEZ73f0CkXaXp7hrann");
    QString originator = QStringLiteral("codex_chatgpt_desktop");
    QString scope = QStringLiteral("openid profile email"); ///< token refresh
    QString authorizeScope = QStringLiteral("openid profile email offline_access");
    QUrl redirectUri = QUrl(QStringLiteral("http://localhost:1455/auth/callback"));
    quint16 callbackPort = DefaultCallbackPort; ///< the local callback server's port; 0 = ephemeral

    /// {auth}/oauth/authorize
    QUrl authorizeUrl() const { return endpoint(QStringLiteral("/oauth/authorize")); }
    /// {auth}/oauth/token (code exchange and refresh)
    QUrl tokenUrl() const { return endpoint(QStringLiteral("/oauth/token")); }
    /// {auth}/api/accounts/deviceauth/usercode
    QUrl deviceUserCodeUrl() const { return endpoint(QStringLiteral("/api/accounts/deviceauth/usercode")); }
    /// {auth}/api/accounts/deviceauth/token
    QUrl deviceTokenUrl() const { return endpoint(QStringLiteral("/api/accounts/deviceauth/token")); }
    /// {auth}/codex/device: the page where the user enters the device code
    QUrl deviceVerificationUrl() const { return endpoint(QStringLiteral("/codex/device")); }
    /// {auth}/deviceauth/callback: the redirect_uri of a device-flow code exchange
    QUrl deviceRedirectUri() const { return endpoint(QStringLiteral("/deviceauth/callback")); }

    /// The defaults, with the auth base URL from KEYGATE_OAUTH_BASE_URL and the callback port from
    /// KEYGATE_OAUTH_CALLBACK_PORT when set (end-to-end tests against a fake auth server).
    static OAuthEndpoints fromEnvironment()
    {
        OAuthEndpoints endpoints;
        if (const QString base = qEnvironmentVariable("KEYGATE_OAUTH_BASE_URL"); !base.isEmpty())
            endpoints.authBaseUrl = QUrl(base);
        bool ok = false;
        if (const uint port = qEnvironmentVariable("KEYGATE_OAUTH_CALLBACK_PORT").toUInt(&ok); ok && port <= 65535)
            endpoints.callbackPort = quint16(port);
        return endpoints;
    }

    /// @ref redirectUri with its port replaced by @p port (the port the callback server really bound).
    QUrl redirectUriForPort(quint16 port) const
    {
        QUrl url = redirectUri;
        url.setPort(port);
        return url;
    }

private:
    QUrl endpoint(const QString &path) const
    {
        QUrl url = authBaseUrl;
        QString base = url.path();
        while (base.endsWith(u'/'))
            base.chop(1);
        url.setPath(base + path);
        url.setQuery(QString());
        return url;
    }
};

} // namespace Core
