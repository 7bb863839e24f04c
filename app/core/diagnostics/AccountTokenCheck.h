// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"
#include "app/core/services/AccountService.h"

#include <QDateTime>

namespace Core {

/// An account's credential as stored: the token is in the secret store (and the account is not
/// waiting for a new login), and when it expires — the stored expiry, else the access token's own
/// `exp` claim (a ChatGPT JWT); an API key has none. A ChatGPT account with a refresh token renews
/// an expired access token itself, so that is only a warning. Pure; any thread.
class AccountTokenCheck final
{
public:
    /// Tokens expiring sooner than this without a refresh token are a warning.
    static constexpr qint64 ExpiringSoonSeconds = 24 * 3600;

    static QString checkName(const QString &account, const QString &what)
    {
        return QStringLiteral("account \"%1\" %2").arg(account, what);
    }

    /// "token" and, when a token is there, "expiry". @p accessToken: the stored access token (may be
    /// empty), read only for its `exp` claim.
    static DiagnosticLines run(const AccountInfo &account, const QByteArray &accessToken, const QDateTime &now);
};

} // namespace Core
