// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Core {

/// The desktop notifications the console can show; each can be muted.
enum class NotificationKind
{
    KeyLimitReached,    ///< a key used up one of its limits
    AccountNeedsReauth, ///< an upstream account must be signed in again
    PoolRateLimited,    ///< every account is rate limited or backing off
    ProxyDown,          ///< the proxy stopped or could not start
    KeyExpiring         ///< a key expires within 3 days
};

/// Which notifications are muted, kept in the `settings` table as `mute-<kind>` = true/false
/// (SettingsRepository skips names it does not know). Read when a notification is due, written by
/// the Settings page. Thread of its connection.
class NotificationMutes final
{
public:
    explicit NotificationMutes(QSqlDatabase db);

    static QList<NotificationKind> kinds();
    /// "key-limit", "account-reauth", "pool-rate-limited", "proxy-down", "key-expiring".
    static QString name(NotificationKind kind);

    Result<bool> isMuted(NotificationKind kind) const;
    Status setMuted(NotificationKind kind, bool muted);

private:
    QSqlDatabase m_db;
};

} // namespace Core
