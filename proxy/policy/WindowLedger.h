// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/HourlyUsage.h"
#include "proxy/policy/KeyPolicy.h"

#include <QHash>
#include <QList>

#include <map>

namespace Proxy {

/// Recent usage per key, model and hour, kept in memory on the proxy thread so that any limit
/// window (≤ 30 days) can be summed without SQL: when a window rolls over, when a limit is added
/// while the proxy runs (it counts what was already used in its window) and after a restart
/// (rebuilt from the request log).
class WindowLedger final
{
public:
    static constexpr qint64 RetainedHours = 30 * 24 + 1;

    void setBaseline(const QList<HourlyUsage> &rows);
    void add(const HourlyUsage &usage);
    /// What @p keyId used from @p fromHour on, counted as @p type, for @p modelFilter (empty = all).
    qint64 sum(qint64 keyId, LimitType type, const QString &modelFilter, qint64 fromHour) const;
    /// Forgets hours older than any window can reach.
    void prune(qint64 currentHour);

    static qint64 amount(const HourlyUsage &usage, LimitType type);

private:
    // key → hour → model → usage
    QHash<qint64, std::map<qint64, QHash<QString, HourlyUsage>>> m_byKey;
};

} // namespace Proxy
