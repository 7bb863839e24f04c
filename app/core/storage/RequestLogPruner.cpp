// SPDX-License-Identifier: MIT
#include "app/core/storage/RequestLogPruner.h"

#include "app/core/storage/SqlUtil.h"
#include "app/core/storage/SqliteStatement.h"

#include <QSqlQuery>

namespace Core {

namespace {
constexpr int IncrementalAutoVacuum = 2; // PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental
}

RequestLogPruner::RequestLogPruner(QSqlDatabase db) : m_db(std::move(db)) {}

QDateTime RequestLogPruner::cutoff(int retentionDays, const QDateTime &now)
{
    return QDateTime(now.toUTC().date().addDays(-retentionDays), QTime(0, 0), Qt::UTC);
}

Result<int> RequestLogPruner::pruneBatch(const QDateTime &cutoff, int maxRows)
{
    if (const Status status = Sql::exec(m_db, QStringLiteral("BEGIN IMMEDIATE")); !status)
        return Result<int>::failure(status);
    // Every row's key_id is a key that exists or NULL (ON DELETE SET NULL), so these are all rows.
    QList<QVariant> keys{QVariant(QMetaType::fromType<qint64>())};
    QSqlQuery query(m_db);
    Status status = Sql::exec(query, QStringLiteral("SELECT id FROM keys ORDER BY id"));
    while (status && query.next())
        keys.append(query.value(0));
    int removed = 0;
    for (const QVariant &key : keys) {
        if (!status || removed >= maxRows)
            break;
        const QString match = key.isNull() ? QStringLiteral("key_id IS NULL") : QStringLiteral("key_id = ?");
        QVariantList bindings;
        if (!key.isNull())
            bindings.append(key);
        bindings << Sql::toDbTime(cutoff) << (maxRows - removed);
        status = Sql::exec(query,
                           QStringLiteral("DELETE FROM request_log WHERE id IN"
                                          " (SELECT id FROM request_log WHERE %1 AND time < ? LIMIT ?)")
                               .arg(match),
                           bindings);
        if (status)
            removed += qMax(0, query.numRowsAffected());
    }
    query.finish();
    if (status)
        status = Sql::exec(m_db, QStringLiteral("COMMIT"));
    if (!status) {
        Sql::exec(m_db, QStringLiteral("ROLLBACK"));
        return Result<int>::failure(status);
    }
    return removed;
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
