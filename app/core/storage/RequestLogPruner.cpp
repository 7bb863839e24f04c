// SPDX-License-Identifier: MIT
#include "app/core/storage/RequestLogPruner.h"

#include "app/core/storage/SqlUtil.h"
#include "app/core/storage/SqliteStatement.h"

#include "proxy/metrics/ProxyMetrics.h"

#include <QMap>
#include <QSqlQuery>

#include <tuple>

namespace Core {

namespace {
constexpr int IncrementalAutoVacuum = 2; // PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental
}

RequestLogPruner::RequestLogPruner(QSqlDatabase db) : m_db(std::move(db)) {}

QDateTime RequestLogPruner::cutoff(int retentionDays, const QDateTime &now)
{
    return QDateTime(now.toUTC().date().addDays(-retentionDays), QTime(0, 0), Qt::UTC);
}

Result<qint64> RequestLogPruner::lastPrunableId(const QDateTime &cutoff)
{
    // Every row's key_id is a key that exists or NULL (ON DELETE SET NULL), so these are all rows.
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(
            query,
            QStringLiteral("SELECT MAX(last) FROM (SELECT (SELECT MAX(r.id) FROM request_log r WHERE r.key_id = k.id"
                           " AND r.time < ?) AS last FROM keys k UNION ALL SELECT MAX(id) FROM request_log"
                           " WHERE key_id IS NULL AND time < ?)"),
            {Sql::toDbTime(cutoff), Sql::toDbTime(cutoff)});
        !status)
        return Result<qint64>::failure(status);
    return query.next() ? query.value(0).toLongLong() : 0; // NULL (no old rows) → 0
}

Result<int> RequestLogPruner::pruneBatch(const QDateTime &cutoff, qint64 lastId, int maxRows)
{
    if (const Status status = Sql::exec(m_db, QStringLiteral("BEGIN IMMEDIATE")); !status)
        return Result<int>::failure(status);
    const Result<int> removed = countAndDelete(Sql::toDbTime(cutoff), lastId, maxRows);
    const Status end = Sql::exec(m_db, removed ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
    if (removed && !end) {
        Sql::exec(m_db, QStringLiteral("ROLLBACK"));
        return Result<int>::failure(end);
    }
    return removed;
}

Result<int> RequestLogPruner::countAndDelete(const QString &before, qint64 lastId, int maxRows)
{
    // The batch is every old row up to its highest id, so the count and the delete see the same rows.
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query,
                                        QStringLiteral("SELECT MAX(id) FROM (SELECT id FROM request_log"
                                                       " WHERE id <= ? AND time < ? ORDER BY id LIMIT ?)"),
                                        {lastId, before, maxRows});
        !status)
        return Result<int>::failure(status);
    if (!query.next() || query.isNull(0))
        return 0;
    const qint64 batchEnd = query.value(0).toLongLong();

    // Route labels, not raw paths: a client's made-up paths must not become rows kept for good.
    QMap<std::tuple<QString, int, QString>, qint64> counts;
    if (const Status status = Sql::exec(query,
                                        QStringLiteral("SELECT route, COALESCE(status, 0), COALESCE(outcome, ''), COUNT(*)"
                                                       " FROM request_log WHERE id <= ? AND time < ? GROUP BY 1, 2, 3"),
                                        {batchEnd, before});
        !status)
        return Result<int>::failure(status);
    while (query.next())
        counts[{Proxy::ProxyMetrics::routeLabel(query.value(0).toString()), query.value(1).toInt(),
                query.value(2).toString()}] += query.value(3).toLongLong();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const auto &[route, status, outcome] = it.key();
        if (const Status added = Sql::exec(
                m_db,
                QStringLiteral("INSERT INTO request_counts_pruned VALUES (?, ?, ?, ?) ON CONFLICT (route, status, outcome)"
                               " DO UPDATE SET requests = requests + excluded.requests"),
                {route, status, outcome, it.value()});
            !added)
            return Result<int>::failure(added);
    }
    if (const Status status = Sql::exec(query, QStringLiteral("DELETE FROM request_log WHERE id <= ? AND time < ?"),
                                        {batchEnd, before});
        !status)
        return Result<int>::failure(status);
    return qMax(0, query.numRowsAffected());
}

Result<qint64> RequestLogPruner::freePages()
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("PRAGMA freelist_count")); !status)
        return Result<qint64>::failure(status);
    return query.next() ? query.value(0).toLongLong() : 0;
}

Status RequestLogPruner::reclaim(int pages)
{
    // SQLite frees one page per step of this pragma; SqliteStatement steps it to the end.
    SqliteStatement vacuum(m_db, QByteArray("PRAGMA incremental_vacuum(" + QByteArray::number(pages) + ')').constData());
    if (!vacuum.isValid() || !vacuum.execute())
        return Status::failure(QStringLiteral("incremental vacuum failed: %1").arg(vacuum.errorString()));
    return Status::success();
}

Status RequestLogPruner::enableIncrementalVacuum()
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("PRAGMA auto_vacuum")); !status)
        return status;
    if (query.next() && query.value(0).toInt() == IncrementalAutoVacuum)
        return Status::success();
    query.finish();
    if (const Status status = Sql::exec(m_db, QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL")); !status)
        return status;
    return Sql::exec(m_db, QStringLiteral("VACUUM"));
}

} // namespace Core
