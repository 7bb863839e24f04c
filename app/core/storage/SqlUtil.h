// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Core::Sql {

/// Timestamps are stored as fixed-width ISO-8601 UTC text with milliseconds and `Z`
/// ("2025-01-31T12:00:00.000Z"), so text comparison orders them correctly.
QString toDbTime(const QDateTime &time);
/// NULL for an invalid time.
QVariant toDbTimeOrNull(const QDateTime &time);
/// Invalid QDateTime for NULL or unparsable text.
QDateTime fromDbTime(const QVariant &value);

/// A JSON array of strings, or NULL for an empty list.
QVariant toJsonListOrNull(const QStringList &values);
/// The strings of a JSON array; empty for NULL or anything else.
QStringList fromJsonList(const QVariant &value);

/// Prepares and runs @p sql with positional @p bindings; the error names the failing statement's purpose.
Status exec(QSqlQuery &query, const QString &sql, const QVariantList &bindings = {});
Status exec(const QSqlDatabase &db, const QString &sql, const QVariantList &bindings = {});

QString errorText(const QSqlQuery &query);

} // namespace Core::Sql
