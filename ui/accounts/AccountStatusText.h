// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/AccountRecord.h"

#include "proxy/routing/UpstreamAccount.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Console {

/// The words the console uses for an account's state and quota, from its row and what the proxy
/// reported, relative to @p now. Pure; GUI thread.
class AccountStatusText final
{
public:
    /// "active", "paused", "needs re-auth: <reason>", "cooling down until 14:05 (in 3m 20s)",
    /// "backoff after 3 errors until 14:05 (in 25s)"; the stored state first, then the running pool's
    static QString state(const Core::AccountRecord &record, const Proxy::AccountRuntimeStatus &status,
                         const QDateTime &now);
    /// "5h 40% used, resets in 2h 10m · week 12% used, resets in 3d 4h", or "unknown"
    static QString quota(const Proxy::AccountRuntimeStatus &status, const QDateTime &now);
    /// "in 3m 20s", "in 2h 10m", "in 3d 4h", "now"
    static QString countdown(const QDateTime &until, const QDateTime &now);
    /// The tray's one line for the pool, in quota()'s words: "2 of 3 accounts available · most left: 5h 40%
    /// used, resets in 2h 10m", or "… · quota: unknown" while no available account reported its quota
    static QString pool(const QList<Core::AccountRecord> &records, const QList<Proxy::AccountRuntimeStatus> &statuses,
                        const QDateTime &now);
    /// Remaining share of the tighter window in percent (100 when unknown: check quota() first).
    static int remainingPercent(const Proxy::AccountRuntimeStatus &status);
    static bool isAvailable(const Core::AccountRecord &record, const Proxy::AccountRuntimeStatus &status,
                            const QDateTime &now);
};

} // namespace Console
