// SPDX-License-Identifier: MIT
#include "app/core/storage/UsageQueries.h"

#include "app/core/services/KeyMaterial.h"
#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

#include <algorithm>

namespace Core {

namespace {

// Nine aggregate columns over the joined/filtered `r` rows; COUNT(r.id) is 0 for a key without rows.
constexpr auto Aggregates =
    "COUNT(r.id), COALESCE(SUM(r.input_tokens), 0), COALESCE(SUM(r.cached_tokens), 0),"
    " COALESCE(SUM(r.output_tokens), 0), COALESCE(SUM(r.reasoning_tokens), 0),"
    " COALESCE(SUM(r.total_tokens), 0), COALESCE(SUM(r.cost_micros), 0) / 1000000.0,"
    " COALESCE(SUM(CASE WHEN r.status >= 400 OR r.outcome <> 'ok' THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN r.total_tokens > 0 AND r.cost_micros IS NULL THEN 1 ELSE 0 END), 0)";

void readAggregates(const QSqlQuery &query, int first, KeyUsageSummary &row)
{
    row.totals.requestCount = query.value(first).toLongLong();
    row.totals.input = query.value(first + 1).toLongLong();
    row.totals.cached = query.value(first + 2).toLongLong();
    row.totals.output = query.value(first + 3).toLongLong();
    row.totals.reasoning = query.value(first + 4).toLongLong();
    row.totals.total = query.value(first + 5).toLongLong();
    row.totals.costUsd = query.value(first + 6).toDouble();
    row.errors = query.value(first + 7).toLongLong();
    row.unpricedRequests = query.value(first + 8).toLongLong();
}

std::optional<qint64> optionalInt(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<qint64>(value.toLongLong());
}

} // namespace

UsageQueries::UsageQueries(QSqlDatabase db) : m_db(std::move(db)) {}

Result<QList<KeyUsageSummary>> UsageQueries::perKeySince(const QDateTime &since) const
{
    using R = Result<QList<KeyUsageSummary>>;
    const QString from = Sql::toDbTime(since);
    QSqlQuery query(m_db);
    // The time condition sits in the join so that unused keys keep their row (with zeros).
    const QString keysSql =
        QStringLiteral("SELECT k.id, k.name, k.last4, k.last_used_at, MAX(r.time), %1 FROM keys k"
                       " LEFT JOIN request_log r ON r.key_id = k.id AND r.time >= ?"
                       " GROUP BY k.id ORDER BY k.id")
            .arg(QLatin1String(Aggregates));
    if (const Status status = Sql::exec(query, keysSql, {from}); !status)
        return R::failure(status);
    QList<KeyUsageSummary> rows;
    while (query.next()) {
        KeyUsageSummary row;
        row.keyId = query.value(0).toLongLong();
        row.name = query.value(1).toString();
        row.maskedKey = KeyMaterial::masked(query.value(2).toString());
        row.lastUsed = std::max(Sql::fromDbTime(query.value(3)), Sql::fromDbTime(query.value(4)));
        readAggregates(query, 5, row);
        rows.append(row);
    }

    const QString anonymousSql =
        QStringLiteral("SELECT MAX(r.time), %1 FROM request_log r WHERE r.key_id IS NULL AND r.time >= ?")
            .arg(QLatin1String(Aggregates));
    if (const Status status = Sql::exec(query, anonymousSql, {from}); !status)
        return R::failure(status);
    if (query.next() && query.value(1).toLongLong() > 0) {
        KeyUsageSummary row;
        row.lastUsed = Sql::fromDbTime(query.value(0));
        readAggregates(query, 1, row);
        rows.append(row);
    }
    return rows;
}

int UsageQueries::bucketIndex(const QList<QDateTime> &bucketStarts, const QDateTime &time)
{
    const auto after = std::upper_bound(bucketStarts.cbegin(), bucketStarts.cend(), time);
    return int(after - bucketStarts.cbegin()) - 1;
}

Result<QList<TokenBucket>> UsageQueries::tokenBuckets(const QList<QDateTime> &bucketStarts) const
{
    using R = Result<QList<TokenBucket>>;
    if (bucketStarts.isEmpty())
        return QList<TokenBucket>();
    // At most (hours in range × keys) groups; each UTC hour then goes to its bucket here.
    QSqlQuery query(m_db);
    const Status status = Sql::exec(query,
                                    QStringLiteral("SELECT COALESCE(r.key_id, 0), substr(r.time, 1, 13),"
                                                   " SUM(r.total_tokens), MIN(r.time) FROM request_log r"
                                                   " WHERE r.time >= ? AND r.total_tokens IS NOT NULL"
                                                   " GROUP BY 1, 2 ORDER BY 1, 2"),
                                    {Sql::toDbTime(bucketStarts.first())});
    if (!status)
        return R::failure(status);
    QList<TokenBucket> buckets;
    while (query.next()) {
        const qint64 keyId = query.value(0).toLongLong();
        // The hour's start, or its first row when the hour straddles the first bucket start.
        QDateTime hour =
            QDateTime::fromString(query.value(1).toString() + QStringLiteral(":00:00Z"), Qt::ISODate);
        hour = std::max(hour.toUTC(), Sql::fromDbTime(query.value(3)));
        const int index = bucketIndex(bucketStarts, hour);
        if (index < 0)
            continue;
        const qint64 tokens = query.value(2).toLongLong();
        if (!buckets.isEmpty() && buckets.last().keyId == keyId && buckets.last().bucket == index)
            buckets.last().tokens += tokens;
        else
            buckets.append(TokenBucket{keyId, index, tokens});
    }
    return buckets;
}

Result<QList<RequestLogEntry>> UsageQueries::recentRequests(qint64 keyId, int limit) const
{
    using R = Result<QList<RequestLogEntry>>;
    QSqlQuery query(m_db);
    const QString where = keyId > 0 ? QStringLiteral("key_id = ?") : QStringLiteral("key_id IS NULL");
    QVariantList bindings;
    if (keyId > 0)
        bindings.append(keyId);
    bindings.append(limit);
    const Status status =
        Sql::exec(query,
                  QStringLiteral("SELECT time, route, model, status, outcome, input_tokens, cached_tokens,"
                                 " output_tokens, reasoning_tokens, total_tokens, latency_ms, ttfb_ms"
                                 " FROM request_log WHERE %1 ORDER BY time DESC, id DESC LIMIT ?")
                      .arg(where),
                  bindings);
    if (!status)
        return R::failure(status);
    QList<RequestLogEntry> entries;
    while (query.next()) {
        RequestLogEntry entry;
        entry.time = Sql::fromDbTime(query.value(0));
        entry.route = query.value(1).toString();
        entry.model = query.value(2).toString();
        entry.status = query.value(3).toInt();
        entry.outcome = query.value(4).toString();
        if (!query.value(9).isNull())
            entry.usage = Proxy::TokenUsage{query.value(5).toLongLong(), query.value(6).toLongLong(),
                                            query.value(7).toLongLong(), query.value(8).toLongLong(),
                                            query.value(9).toLongLong()};
        entry.latencyMs = query.value(10).toLongLong();
        entry.ttfbMs = optionalInt(query.value(11));
        entries.append(entry);
    }
    return entries;
}

Result<qint64> UsageQueries::requestCountSince(const QDateTime &since) const
{
    QSqlQuery query(m_db);
    if (const Status status =
            Sql::exec(query, QStringLiteral("SELECT COUNT(*) FROM request_log WHERE time >= ?"),
                      {Sql::toDbTime(since)});
        !status)
        return Result<qint64>::failure(status);
    return query.next() ? query.value(0).toLongLong() : 0;
}

Result<QHash<qint64, Proxy::UsageTotals>> UsageQueries::perAccountSince(const QDateTime &since) const
{
    using Totals = QHash<qint64, Proxy::UsageTotals>;
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query,
                                        QStringLiteral("SELECT account_id, COUNT(*), COALESCE(SUM(total_tokens), 0)"
                                                       " FROM request_log WHERE time >= ? AND account_id IS NOT NULL"
                                                       " GROUP BY account_id"),
                                        {Sql::toDbTime(since)});
        !status)
        return Result<Totals>::failure(status);
    Totals totals;
    while (query.next()) {
        Proxy::UsageTotals &entry = totals[query.value(0).toLongLong()];
        entry.requestCount = query.value(1).toLongLong();
        entry.total = query.value(2).toLongLong();
    }
    return totals;
}

Result<QSet<QString>> UsageQueries::lastRequestIds(int limit) const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(
            query, QStringLiteral("SELECT request_id FROM request_log ORDER BY id DESC LIMIT ?"), {limit});
        !status)
        return Result<QSet<QString>>::failure(status);
    QSet<QString> ids;
    while (query.next())
        if (const QString id = query.value(0).toString(); !id.isEmpty())
            ids.insert(id);
    return ids;
}

} // namespace Core
