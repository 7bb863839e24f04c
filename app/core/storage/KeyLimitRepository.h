// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/policy/HourlyUsage.h"
#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

namespace Core {

/// SQL for `key_limits`, and the hourly usage sums limits are counted from (request_log), on one
/// connection (the caller's thread).
class KeyLimitRepository final
{
public:
    explicit KeyLimitRepository(QSqlDatabase db);

    /// Every key's limits, by key id, in id order.
    Result<QHash<qint64, QList<Proxy::KeyLimit>>> all() const;
    Result<QList<Proxy::KeyLimit>> forKey(qint64 keyId) const;
    /// Inserts @p limit (its id is ignored) and returns the new id. A second limit with the same
    /// type, window and model is refused by the schema.
    Result<qint64> insert(qint64 keyId, const Proxy::KeyLimit &limit, const QDateTime &now);
    Status updateMax(qint64 keyId, qint64 limitId, qint64 maxValue);
    /// Sets the maximum, window anchor and carried-over count of limit @p limit.id (a re-import).
    Status updateImported(qint64 keyId, const Proxy::KeyLimit &limit);
    Status remove(qint64 keyId, qint64 limitId);
    /// Restarts the limit's windows at @p from (a usage reset); @p offset is what its unit counted in
    /// @p from's hour before @p from (Proxy::KeyLimit::countedOffset).
    Status setCountedFrom(qint64 keyId, qint64 limitId, const QDateTime &from, qint64 offset);

    /// Usage per key, model and hour since @p since (UTC): what the proxy's limit counters start from.
    Result<QList<Proxy::HourlyUsage>> hourlyUsageSince(const QDateTime &since) const;
    /// What @p keyId used from @p since on (and before @p before, when valid), counted as @p type, for
    /// @p modelFilter (empty = all).
    Result<qint64> usageSince(qint64 keyId, Proxy::LimitType type, const QString &modelFilter,
                              const QDateTime &since, const QDateTime &before = {}) const;

private:
    QSqlDatabase m_db;
};

} // namespace Core
