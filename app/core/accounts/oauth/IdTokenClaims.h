// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

namespace Core {

/// The claims Keygate reads from an OpenAI id token (or access token) JWT: `email`, `exp`, and
/// under `https://api.openai.com/auth`: `chatgpt_account_id`, `chatgpt_plan_type`,
/// `chatgpt_user_id` (reference §5.4). The payload is decoded WITHOUT a signature check: the token
/// came straight from the auth server over TLS and is only used for display and routing headers.
/// Pure value; any thread.
struct IdTokenClaims final
{
    QString email;
    QString chatgptAccountId;
    QString planType;
    QString chatgptUserId;
    QDateTime expiresAt; ///< UTC, from `exp`; invalid when absent

    /// The claims of @p jwt; empty claims (and false from @ref decoded) when it is not a JWT with a
    /// base64url JSON payload.
    static IdTokenClaims fromJwt(const QString &jwt);

    bool decoded = false; ///< the payload was a JSON object
};

} // namespace Core
