// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include "app/core/Result.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace Core {

/// Reads `auth_events` rows (written by RecordWriter) back into AuthTrace values, steps included.
/// Uses the caller's connection, so it runs on the thread that opened it (the console: main thread,
/// on page load only, never per request).
class AuthEventRepository final
{
public:
    explicit AuthEventRepository(QSqlDatabase db);

    /// The newest @p limit events, newest first (by insertion order).
    Result<QList<Proxy::AuthTrace>> recent(int limit) const;

    /// Usage resets (verdict `reset`) written after row @p afterId, oldest first; lastId is the newest
    /// one's row id (@p afterId when there is none).
    struct Resets final
    {
        QList<Proxy::AuthTrace> traces;
        qint64 lastId = 0;
    };
    Result<Resets> resetsAfter(qint64 afterId) const;

    /// Parses RecordWriter::stepsJson(); unknown outcomes become Absent, bad JSON gives no steps.
    static QList<Proxy::AuthStep> stepsFromJson(const QString &json);
    /// Inverse of Proxy::toString(HeaderOutcome) / toString(AuthVerdict).
    static std::optional<Proxy::HeaderOutcome> headerOutcomeFromString(const QString &text);
    static std::optional<Proxy::AuthVerdict> verdictFromString(const QString &text);

private:
    QSqlDatabase m_db;
};

} // namespace Core
