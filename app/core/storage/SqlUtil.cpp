// SPDX-License-Identifier: MIT
#include "app/core/storage/SqlUtil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>

namespace Core::Sql {

QString toDbTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // Same text as toString(Qt::ISODateWithMs) in UTC, but the write-behind path formats two stamps
    // per proxied request, so the part up to the second is formatted once per second and thread.
    const qint64 ms = time.toMSecsSinceEpoch();
    const qint64 second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    thread_local qint64 cachedSecond = std::numeric_limits<qint64>::min();
    thread_local QString cachedPrefix;
    if (second != cachedSecond) {
        cachedSecond = second;
        cachedPrefix = QDateTime::fromSecsSinceEpoch(second, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss."));
    }
    const int millis = int(ms - second * 1000);
    QString text = cachedPrefix;
    text += QChar(u'0' + millis / 100);
    text += QChar(u'0' + millis / 10 % 10);
    text += QChar(u'0' + millis % 10);
    text += u'Z';
    return text;
}

QVariant toDbTimeOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(toDbTime(time)) : QVariant(QMetaType::fromType<QString>());
}

QVariant toJsonListOrNull(const QStringList &values)
{
    if (values.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

QStringList fromJsonList(const QVariant &value)
{
    QStringList values;
    if (value.isNull())
        return values;
    for (const QJsonValue &item : QJsonDocument::fromJson(value.toString().toUtf8()).array())
        if (item.isString())
            values.append(item.toString());
    return values;
}

QDateTime fromDbTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
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
