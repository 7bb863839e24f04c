// SPDX-License-Identifier: MIT
#include "app/core/storage/AccountRuntimeRepository.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

QVariant percentOrNull(int percent)
{
    return percent >= 0 ? QVariant(percent) : QVariant(QMetaType::fromType<int>());
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

Status publishRows(const QSqlDatabase &db, const QList<Proxy::AccountRuntimeStatus> &statuses,
                   const QDateTime &publishedAt)
{
    if (const Status cleared = Sql::exec(db, QStringLiteral("DELETE FROM account_runtime")); !cleared)
        return cleared;
    const QString published = Sql::toDbTime(publishedAt);
    for (const Proxy::AccountRuntimeStatus &status : statuses) {
        // An account removed since the pool last changed has no row to refer to: skip it.
        const Status inserted = Sql::exec(
            db,
            QStringLiteral("INSERT INTO account_runtime (account_id, cooldown_until, consecutive_errors,"
                           " backoff_until, last_error, needs_reauth, primary_used_percent, secondary_used_percent,"
                           " published_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?"
                           " WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?)"),
            {status.id, Sql::toDbTimeOrNull(status.cooldownUntil), status.consecutiveErrors,
             Sql::toDbTimeOrNull(status.backoffUntil), textOrNull(status.lastError), status.needsReauth ? 1 : 0,
             percentOrNull(status.primaryUsedPercent), percentOrNull(status.secondaryUsedPercent), published,
             status.id});
        if (!inserted)
            return inserted;
    }
    return Status::success();
}

} // namespace

AccountRuntimeRepository::AccountRuntimeRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Status AccountRuntimeRepository::publish(const QList<Proxy::AccountRuntimeStatus> &statuses,
                                         const QDateTime &publishedAt)
{
    if (const Status begun = Sql::exec(m_db, QStringLiteral("BEGIN IMMEDIATE")); !begun)
        return begun;
    Status status = publishRows(m_db, statuses, publishedAt);
    if (status)
        status = Sql::exec(m_db, QStringLiteral("COMMIT"));
    if (!status)
        Sql::exec(m_db, QStringLiteral("ROLLBACK"));
    return status;
}

Result<QHash<qint64, PublishedAccountRuntime>> AccountRuntimeRepository::fresh(const QDateTime &now) const
{
    using Rows = QHash<qint64, PublishedAccountRuntime>;
    QSqlQuery query(m_db);
    const Status read = Sql::exec(
        query,
        QStringLiteral("SELECT account_id, cooldown_until, consecutive_errors, backoff_until, last_error, needs_reauth,"
                       " primary_used_percent, secondary_used_percent, published_at FROM account_runtime"
                       " WHERE published_at >= ?"),
        {Sql::toDbTime(now.addSecs(-StaleAfterSeconds))});
    if (!read)
        return Result<Rows>::failure(read);
    Rows rows;
    while (query.next()) {
        PublishedAccountRuntime row;
        row.status.id = query.value(0).toLongLong();
        row.status.cooldownUntil = Sql::fromDbTime(query.value(1));
        row.status.consecutiveErrors = query.value(2).toInt();
        row.status.backoffUntil = Sql::fromDbTime(query.value(3));
        row.status.lastError = query.value(4).toString();
        row.status.needsReauth = query.value(5).toInt() != 0;
        row.status.primaryUsedPercent = query.value(6).isNull() ? -1 : query.value(6).toInt();
        row.status.secondaryUsedPercent = query.value(7).isNull() ? -1 : query.value(7).toInt();
        row.publishedAt = Sql::fromDbTime(query.value(8));
        rows.insert(row.status.id, row);
    }
    return rows;
}

} // namespace Core
