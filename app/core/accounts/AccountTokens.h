// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

namespace Core {

/// The OAuth tokens of a ChatGPT account, as a login or a refresh returns them. Held in memory only
/// briefly: the secret store keeps them (`account/<id>/access`, `…/refresh`, `…/id`).
struct AccountTokens final
{
    QString accessToken;
    QString refreshToken;
    QString idToken;
    QString chatgptAccountId; ///< from the id token's https://api.openai.com/auth claim or the response
    QString email;            ///< from the id token
    QString planType;         ///< from the id token (chatgpt_plan_type)
    QDateTime accessExpiresAt; ///< UTC; from expires_in or the access token's exp; invalid = unknown

    QString chatgptUserId; ///< from the id token (chatgpt_user_id): the per-seat identity

    bool isValid() const { return !accessToken.isEmpty(); }

    /// Fills what a refresh answer may leave out (the id token and its claims) from @p previous.
    void keepIdentityFrom(const AccountTokens &previous)
    {
        auto keep = [](QString &value, const QString &old) {
            if (value.isEmpty())
                value = old;
        };
        keep(idToken, previous.idToken);
        keep(chatgptAccountId, previous.chatgptAccountId);
        keep(email, previous.email);
        keep(planType, previous.planType);
        keep(chatgptUserId, previous.chatgptUserId);
    }
};

} // namespace Core
