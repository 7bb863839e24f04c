// SPDX-License-Identifier: MIT
#include "app/core/storage/SqlUtil.h"

#include <QSqlError>

namespace Core::Sql {

QString toDbTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QVariant toDbTimeOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(toDbTime(time)) : QVariant(QMetaType::fromType<QString>());
}

QDateTime fromDbTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QVariant nullableInt(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

QString errorText(const QSqlQuery &query)
{
    return query.lastError().text();
}

Status exec(QSqlQuery &query, const QString &sql, const QVariantList &bindings)
{
    if (!query.prepare(sql))
        return Status::failure(QStringLiteral("database error: %1").arg(errorText(query)));
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    if (!query.exec())
        return Status::failure(QStringLiteral("database error: %1").arg(errorText(query)));
    return Status::success();
}

Status exec(const QSqlDatabase &db, const QString &sql, const QVariantList &bindings)
{
    QSqlQuery query(db);
    return exec(query, sql, bindings);
}

} // namespace Core::Sql
