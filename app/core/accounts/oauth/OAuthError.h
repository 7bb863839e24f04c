// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace Core {

/// Why a call to the auth server failed, classified for the caller (reference §5.4):
/// - Permanent: the grant is dead (`invalid_grant`, `refresh_token_expired`, `refresh_token_reused`,
///   `refresh_token_invalidated`, `token_invalidated`, `token_expired`, `app_session_terminated`);
///   the account needs a new login.
/// - Transient: network error, timeout, 5xx, 408/429: trying again later may work.
/// - Rejected: any other refusal or a malformed answer; retrying the same request will not help,
///   but the grant is not known to be dead.
/// The message is for people and never contains a token. Pure value; any thread.
struct OAuthError final
{
    enum class Kind
    {
        Permanent,
        Transient,
        Rejected
    };

    Kind kind = Kind::Transient;
    QString code;       ///< the server's error code (`invalid_grant`, …), empty if none
    int httpStatus = 0; ///< 0: no HTTP answer
    QString message;

    bool isPermanent() const { return kind == Kind::Permanent; }

    /// Classifies an HTTP error answer. Reads `{"error":"<code>","error_description":…}`,
    /// `{"error":{"code":…,"message":…}}` and a top-level `code`.
    static OAuthError fromHttp(int status, const QByteArray &body);
    static OAuthError network(const QString &detail);
    static OAuthError timedOut(int timeoutMs);
    static OAuthError malformed(const QString &what);
    /// True for the codes after which the refresh token can never work again.
    static bool isPermanentCode(const QString &code);
};

} // namespace Core
