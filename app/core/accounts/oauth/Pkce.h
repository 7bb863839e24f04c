// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace Core {

struct OAuthEndpoints;

/// PKCE (RFC 7636, method S256) and the authorize URL of the browser login (reference §5.3).
/// QtNetworkAuth 6.4 has no PKCE, so this is ours. Pure functions; any thread.
class Pkce final
{
public:
    /// A fresh code verifier: 32 bytes from the system CSPRNG, base64url without padding (43 chars).
    static QByteArray generateVerifier();
    /// The verifier for the given random bytes (base64url, no padding); generateVerifier() uses it.
    static QByteArray verifierFromBytes(const QByteArray &randomBytes);
    /// S256 challenge: base64url(SHA-256(verifier)) without padding.
    static QByteArray challengeFor(const QByteArray &verifier);
    /// A fresh random `state` (32 CSPRNG bytes, base64url without padding).
    static QString generateState();
    /// {auth}/oauth/authorize with exactly the query of the reference: response_type, client_id,
    /// redirect_uri (endpoints.redirectUri), scope (with offline_access), code_challenge,
    /// code_challenge_method=S256, state, id_token_add_organizations, codex_cli_simplified_flow,
    /// originator.
    static QUrl authorizeUrl(const OAuthEndpoints &endpoints, const QByteArray &challenge,
                             const QString &state);
};

} // namespace Core
