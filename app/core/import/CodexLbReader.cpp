// SPDX-License-Identifier: MIT
#include "app/core/import/CodexLbReader.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

namespace Core {

namespace {

constexpr int BusyTimeoutMs = 2000;

const QStringList RequiredKeyColumns{QStringLiteral("id"),         QStringLiteral("name"),
                                     QStringLiteral("key_hash"),   QStringLiteral("key_prefix"),
                                     QStringLiteral("allowed_models"), QStringLiteral("expires_at"),
                                     QStringLiteral("is_active")};
const QStringList RequiredLimitColumns{QStringLiteral("id"),          QStringLiteral("api_key_id"),
                                       QStringLiteral("limit_type"),  QStringLiteral("limit_window"),
                                       QStringLiteral("max_value"),   QStringLiteral("current_value"),
                                       QStringLiteral("model_filter"), QStringLiteral("reset_at")};
// Columns of newer codex-lb versions: read when present.
const QStringList OptionalKeyColumns{QStringLiteral("allowed_reasoning_efforts"), QStringLiteral("enforced_model"),
                                     QStringLiteral("enforced_reasoning_effort"),
                                     QStringLiteral("enforced_service_tier"), QStringLiteral("created_at")};

QString explain(const QSqlError &error, const QString &path)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if (text.contains(QLatin1String("locked"), Qt::CaseInsensitive) || text.contains(QLatin1String("busy"), Qt::CaseInsensitive))
        return QStringLiteral("the codex-lb database %1 is locked by another process (codex-lb writing?); "
                              "try again, or stop codex-lb first")
            .arg(path);
    if (text.contains(QLatin1String("not a database"), Qt::CaseInsensitive))
        return QStringLiteral("%1 is not a codex-lb database (not an SQLite file)").arg(path);
    return QStringLiteral("cannot read %1: %2").arg(path, text);
}

/// The column names of @p table; empty when there is no such table.
Result<QStringList> columnsOf(const QSqlDatabase &db, const QString &table, const QString &path)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
        return Result<QStringList>::failure(explain(query.lastError(), path));
    QStringList columns;
    while (query.next())
        columns.append(query.value(1).toString());
    return columns;
}

Status requireColumns(const QStringList &present, const QStringList &required, const QString &table,
                      const QString &path)
{
    if (present.isEmpty())
        return Status::failure(QStringLiteral("%1 is not a codex-lb database: it has no %2 table").arg(path, table));
    QStringList missing;
    for (const QString &column : required)
        if (!present.contains(column))
            missing.append(column);
    if (!missing.isEmpty())
        return Status::failure(QStringLiteral("%1 is not a codex-lb database: table %2 has no column %3")
                                   .arg(path, table, missing.join(QStringLiteral(", "))));
    return Status::success();
}

Result<QList<CodexLbKeyRow>> readKeys(const QSqlDatabase &db, const QString &path)
{
    const Result<QStringList> keyColumns = columnsOf(db, QStringLiteral("api_keys"), path);
    if (!keyColumns)
        return Result<QList<CodexLbKeyRow>>::failure(keyColumns.error());
    if (const Status status = requireColumns(keyColumns.value(), RequiredKeyColumns, QStringLiteral("api_keys"), path);
        !status)
        return Result<QList<CodexLbKeyRow>>::failure(status);
    const Result<QStringList> limitColumns = columnsOf(db, QStringLiteral("api_key_limits"), path);
    if (!limitColumns)
        return Result<QList<CodexLbKeyRow>>::failure(limitColumns.error());
    if (const Status status =
            requireColumns(limitColumns.value(), RequiredLimitColumns, QStringLiteral("api_key_limits"), path);
        !status)
        return Result<QList<CodexLbKeyRow>>::failure(status);

    QStringList selected = RequiredKeyColumns;
    for (const QString &column : OptionalKeyColumns)
        selected.append(keyColumns.value().contains(column) ? column : QStringLiteral("NULL"));
    QSqlQuery keys(db);
    if (!keys.exec(QStringLiteral("SELECT %1 FROM api_keys ORDER BY rowid").arg(selected.join(QStringLiteral(", ")))))
        return Result<QList<CodexLbKeyRow>>::failure(explain(keys.lastError(), path));
    QList<CodexLbKeyRow> rows;
    while (keys.next()) {
        CodexLbKeyRow row;
        row.id = keys.value(0).toString();
        row.name = keys.value(1).toString();
        row.keyHash = keys.value(2).toString();
        row.keyPrefix = keys.value(3).toString();
        row.allowedModels = keys.value(4);
        row.expiresAt = keys.value(5);
        row.isActive = keys.value(6);
        row.allowedReasoningEfforts = keys.value(7);
        row.enforcedModel = keys.value(8);
        row.enforcedReasoningEffort = keys.value(9);
        row.enforcedServiceTier = keys.value(10);
        row.createdAt = keys.value(11);
        rows.append(row);
    }
    if (keys.lastError().isValid())
        return Result<QList<CodexLbKeyRow>>::failure(explain(keys.lastError(), path));

    QSqlQuery limits(db);
    if (!limits.exec(QStringLiteral("SELECT %1 FROM api_key_limits ORDER BY id").arg(RequiredLimitColumns.join(QStringLiteral(", ")))))
        return Result<QList<CodexLbKeyRow>>::failure(explain(limits.lastError(), path));
    while (limits.next()) {
        CodexLbLimitRow limit;
        limit.id = limits.value(0).toLongLong();
        limit.limitType = limits.value(2).toString();
        limit.limitWindow = limits.value(3).toString();
        limit.maxValue = limits.value(4).toLongLong();
        limit.currentValue = limits.value(5).toLongLong();
        limit.modelFilter = limits.value(6);
        limit.resetAt = limits.value(7).toString();
        const QString keyId = limits.value(1).toString();
        for (CodexLbKeyRow &row : rows)
            if (row.id == keyId)
                row.limits.append(limit);
    }
    if (limits.lastError().isValid())
        return Result<QList<CodexLbKeyRow>>::failure(explain(limits.lastError(), path));
    return rows;
}

} // namespace

Result<QList<CodexLbKeyRow>> CodexLbReader::read(const QString &path)
{
    const QFileInfo file(path);
    if (!file.exists())
        return Result<QList<CodexLbKeyRow>>::failure(QStringLiteral("no such file: %1").arg(path));
    if (!file.isFile() || !file.isReadable())
        return Result<QList<CodexLbKeyRow>>::failure(QStringLiteral("%1 is not a readable file").arg(path));
    const QString connectionName = QStringLiteral("codex-lb-import-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    Result<QList<CodexLbKeyRow>> result = Result<QList<CodexLbKeyRow>>::failure(QString());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(file.absoluteFilePath());
        // Read-only at the SQLite level: the import can never write to codex-lb's file.
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
        if (!db.open()) {
            result = Result<QList<CodexLbKeyRow>>::failure(explain(db.lastError(), path));
        } else {
            db.transaction(); // one read snapshot: keys and limits as of the same moment
            result = readKeys(db, path);
            db.rollback();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    return result;
}

} // namespace Core
