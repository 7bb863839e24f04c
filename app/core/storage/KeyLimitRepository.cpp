// SPDX-License-Identifier: MIT
#include "app/core/storage/KeyLimitRepository.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

constexpr auto Columns = "id, key_id, limit_type, limit_window, max_value, model_filter, counted_from, counted_offset,"
                         " window_anchor, carried_value";

std::optional<Proxy::KeyLimit> fromQuery(const QSqlQuery &query)
{
    const auto type = Proxy::limitTypeFromString(query.value(2).toString());
    const auto window = Proxy::limitWindowFromString(query.value(3).toString());
    if (!type || !window)
        return std::nullopt; // written by a newer keygate; not ours to enforce
    Proxy::KeyLimit limit;
    limit.id = query.value(0).toLongLong();
    limit.type = *type;
    limit.window = *window;
    limit.maxValue = query.value(4).toLongLong();
    limit.modelFilter = query.value(5).toString();
    limit.countedFrom = Sql::fromDbTime(query.value(6));
    limit.countedOffset = query.value(7).toLongLong();
    limit.windowAnchor = Sql::fromDbTime(query.value(8));
    limit.carriedValue = query.value(9).toLongLong();
    return limit;
}

QString amountColumn(Proxy::LimitType type)
{
    switch (type) {
    case Proxy::LimitType::TotalTokens:
        return QStringLiteral("total_tokens");
    case Proxy::LimitType::InputTokens:
        return QStringLiteral("input_tokens");
    case Proxy::LimitType::OutputTokens:
        return QStringLiteral("output_tokens");
    case Proxy::LimitType::CostMicros:
        return QStringLiteral("cost_micros");
    }
    return QStringLiteral("total_tokens");
}

} // namespace

KeyLimitRepository::KeyLimitRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Result<QHash<qint64, QList<Proxy::KeyLimit>>> KeyLimitRepository::all() const
{
    QSqlQuery query(m_db);
    if (const Status status =
            Sql::exec(query, QStringLiteral("SELECT %1 FROM key_limits ORDER BY id").arg(QLatin1String(Columns)));
        !status)
        return Result<QHash<qint64, QList<Proxy::KeyLimit>>>::failure(status);
    QHash<qint64, QList<Proxy::KeyLimit>> limits;
    while (query.next())
        if (const auto limit = fromQuery(query))
            limits[query.value(1).toLongLong()].append(*limit);
    return limits;
}

Result<QList<Proxy::KeyLimit>> KeyLimitRepository::forKey(qint64 keyId) const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(
            query, QStringLiteral("SELECT %1 FROM key_limits WHERE key_id = ? ORDER BY id").arg(QLatin1String(Columns)),
            {keyId});
        !status)
        return Result<QList<Proxy::KeyLimit>>::failure(status);
    QList<Proxy::KeyLimit> limits;
    while (query.next())
        if (const auto limit = fromQuery(query))
            limits.append(*limit);
    return limits;
}

Result<qint64> KeyLimitRepository::insert(qint64 keyId, const Proxy::KeyLimit &limit, const QDateTime &now)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query,
        QStringLiteral("INSERT INTO key_limits (key_id, limit_type, limit_window, max_value, model_filter, created_at,"
                       " window_anchor, carried_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {keyId, Proxy::wireName(limit.type), Proxy::wireName(limit.window), limit.maxValue,
         limit.modelFilter.isNull() ? QStringLiteral("") : limit.modelFilter, Sql::toDbTime(now),
         Sql::toDbTimeOrNull(limit.windowAnchor), limit.carriedValue});
    if (!status)
        return Result<qint64>::failure(status);
    return query.lastInsertId().toLongLong();
}

Status KeyLimitRepository::updateMax(qint64 keyId, qint64 limitId, qint64 maxValue)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(query, QStringLiteral("UPDATE key_limits SET max_value = ? WHERE id = ? AND key_id = ?"),
                                    {maxValue, limitId, keyId});
    if (status && query.numRowsAffected() < 1)
        return Status::failure(QStringLiteral("the key has no limit with id %1").arg(limitId));
    return status;
}

Status KeyLimitRepository::updateImported(qint64 keyId, const Proxy::KeyLimit &limit)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query,
        QStringLiteral("UPDATE key_limits SET max_value = ?, window_anchor = ?, carried_value = ?"
                       " WHERE id = ? AND key_id = ?"),
        {limit.maxValue, Sql::toDbTimeOrNull(limit.windowAnchor), limit.carriedValue, limit.id, keyId});
    if (status && query.numRowsAffected() < 1)
        return Status::failure(QStringLiteral("the key has no limit with id %1").arg(limit.id));
    return status;
}

Status KeyLimitRepository::remove(qint64 keyId, qint64 limitId)
{
    QSqlQuery query(m_db);
    const Status status =
        Sql::exec(query, QStringLiteral("DELETE FROM key_limits WHERE id = ? AND key_id = ?"), {limitId, keyId});
    if (status && query.numRowsAffected() < 1)
        return Status::failure(QStringLiteral("the key has no limit with id %1").arg(limitId));
    return status;
}

Result<QList<Proxy::HourlyUsage>> KeyLimitRepository::hourlyUsageSince(const QDateTime &since) const
{
    // Times are fixed-width ISO text, so the first 13 characters ("2026-11-28T21") name the hour.
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(
            query,
            QStringLiteral("SELECT key_id, COALESCE(model, ''), substr(time, 1, 13), SUM(COALESCE(input_tokens, 0)),"
                           " SUM(COALESCE(output_tokens, 0)), SUM(COALESCE(total_tokens, 0)),"
                           " SUM(COALESCE(cost_micros, 0))"
                           " FROM request_log WHERE key_id IS NOT NULL AND time >= ?"
                           " GROUP BY 1, 2, 3"),
            {Sql::toDbTime(since)});
        !status)
        return Result<QList<Proxy::HourlyUsage>>::failure(status);
    QList<Proxy::HourlyUsage> rows;
    while (query.next()) {
        const QDateTime hour =
            QDateTime::fromString(query.value(2).toString() + QStringLiteral(":00:00Z"), Qt::ISODate);
        if (!hour.isValid())
            continue;
        Proxy::HourlyUsage row;
        row.keyId = query.value(0).toLongLong();
        row.model = query.value(1).toString();
        row.hour = hour.toSecsSinceEpoch() / 3600;
        row.input = query.value(3).toLongLong();
        row.output = query.value(4).toLongLong();
        row.total = query.value(5).toLongLong();
        row.costMicros = query.value(6).toLongLong();
        rows.append(row);
    }
    return rows;
}

Status KeyLimitRepository::setCountedFrom(qint64 keyId, qint64 limitId, const QDateTime &from, qint64 offset)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query, QStringLiteral("UPDATE key_limits SET counted_from = ?, counted_offset = ? WHERE id = ? AND key_id = ?"),
        {Sql::toDbTime(from), offset, limitId, keyId});
    if (status && query.numRowsAffected() < 1)
        return Status::failure(QStringLiteral("the key has no limit with id %1").arg(limitId));
    return status;
}

Result<qint64> KeyLimitRepository::usageSince(qint64 keyId, Proxy::LimitType type, const QString &modelFilter,
                                              const QDateTime &since, const QDateTime &before) const
{
    QSqlQuery query(m_db);
    QString sql = QStringLiteral("SELECT SUM(COALESCE(%1, 0)) FROM request_log WHERE key_id = ? AND time >= ?")
                      .arg(amountColumn(type));
    QVariantList bindings{keyId, Sql::toDbTime(since)};
    if (before.isValid()) {
        sql += QStringLiteral(" AND time < ?");
        bindings.append(Sql::toDbTime(before));
    }
    if (!modelFilter.isEmpty()) {
        sql += QStringLiteral(" AND model = ?");
        bindings.append(modelFilter);
    }
    if (const Status status = Sql::exec(query, sql, bindings); !status)
        return Result<qint64>::failure(status);
    return query.next() ? query.value(0).toLongLong() : 0;
}

} // namespace Core
