// SPDX-License-Identifier: MIT
#include "app/core/storage/UsageRepository.h"

#include "app/core/services/KeyMaterial.h"
#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

// Over the daily rollup `u`, which keeps every request ever written (request_log rows age out).
constexpr auto Aggregates = "COALESCE(SUM(u.requests), 0), COALESCE(SUM(u.input_tokens), 0),"
                            " COALESCE(SUM(u.cached_tokens), 0), COALESCE(SUM(u.output_tokens), 0),"
                            " COALESCE(SUM(u.reasoning_tokens), 0), COALESCE(SUM(u.total_tokens), 0),"
                            " COALESCE(SUM(u.cost_micros), 0) / 1000000.0";

// Reads the seven aggregate columns starting at @p first.
Proxy::UsageTotals totalsFrom(const QSqlQuery &query, int first)
{
    Proxy::UsageTotals totals;
    totals.requestCount = query.value(first).toLongLong();
    totals.input = query.value(first + 1).toLongLong();
    totals.cached = query.value(first + 2).toLongLong();
    totals.output = query.value(first + 3).toLongLong();
    totals.reasoning = query.value(first + 4).toLongLong();
    totals.total = query.value(first + 5).toLongLong();
    totals.costUsd = query.value(first + 6).toDouble();
    return totals;
}

} // namespace

UsageRepository::UsageRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Result<QHash<qint64, Proxy::UsageTotals>> UsageRepository::totalsByKey() const
{
    QSqlQuery query(m_db);
    // A deleted key's rollup keeps its id; its requests count in overall() only, as before.
    const QString sql = QStringLiteral("SELECT u.key_id, %1 FROM usage_daily u"
                                       " WHERE u.key_id IN (SELECT id FROM keys) GROUP BY u.key_id")
                            .arg(QLatin1String(Aggregates));
    if (const Status status = Sql::exec(query, sql); !status)
        return Result<QHash<qint64, Proxy::UsageTotals>>::failure(status);
    QHash<qint64, Proxy::UsageTotals> totals;
    while (query.next())
        totals.insert(query.value(0).toLongLong(), totalsFrom(query, 1));
    return totals;
}

Result<QList<KeyUsage>> UsageRepository::perKey() const
{
    QSqlQuery query(m_db);
    const QString sql = QStringLiteral("SELECT k.id, k.name, k.prefix, k.last4, %1 FROM keys k"
                                       " LEFT JOIN usage_daily u ON u.key_id = k.id"
                                       " GROUP BY k.id ORDER BY k.id")
                            .arg(QLatin1String(Aggregates));
    if (const Status status = Sql::exec(query, sql); !status)
        return Result<QList<KeyUsage>>::failure(status);
    QList<KeyUsage> usage;
    while (query.next()) {
        KeyUsage row;
        row.keyId = query.value(0).toLongLong();
        row.name = query.value(1).toString();
        row.prefix = query.value(2).toString();
        row.maskedKey = KeyMaterial::masked(query.value(3).toString());
        row.totals = totalsFrom(query, 4);
        usage.append(row);
    }
    return usage;
}

Result<Proxy::UsageTotals> UsageRepository::overall() const
{
    QSqlQuery query(m_db);
    const QString sql = QStringLiteral("SELECT %1 FROM usage_daily u").arg(QLatin1String(Aggregates));
    if (const Status status = Sql::exec(query, sql); !status)
        return Result<Proxy::UsageTotals>::failure(status);
    if (!query.next())
        return Proxy::UsageTotals();
    return totalsFrom(query, 0);
}

Result<QList<Proxy::RequestCount>> UsageRepository::requestCounts() const
{
    QSqlQuery query(m_db);
    // Rows still logged, plus what retention pruned (ProxyMetrics adds up equal labels).
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT route, status, outcome, COUNT(*) FROM request_log"
                                                               " GROUP BY route, status, outcome"
                                                               " UNION ALL SELECT route, status, outcome, requests"
                                                               " FROM request_counts_pruned"));
        !status)
        return Result<QList<Proxy::RequestCount>>::failure(status);
    QList<Proxy::RequestCount> counts;
    while (query.next())
        counts.append({query.value(0).toString(), query.value(1).toInt(), query.value(2).toString(),
                       query.value(3).toLongLong()});
    return counts;
}

} // namespace Core
