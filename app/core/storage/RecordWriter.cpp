// SPDX-License-Identifier: MIT
#include "app/core/storage/RecordWriter.h"

#include "app/core/storage/SqlUtil.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace Core {

namespace {

QDateTime timeOrNow(const QDateTime &time)
{
    return time.isValid() ? time : QDateTime::currentDateTimeUtc();
}

QVariant textOrNull(const QString &text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

RecordWriter::RecordWriter(QSqlDatabase db) : m_db(std::move(db)) {}

QString RecordWriter::stepsJson(const Proxy::AuthTrace &trace)
{
    QJsonArray steps;
    for (const Proxy::AuthStep &step : trace.steps) {
        steps.append(QJsonObject{{QStringLiteral("header"), step.header},
                                 {QStringLiteral("masked_value"), step.maskedValue},
                                 {QStringLiteral("outcome"), Proxy::toString(step.outcome)},
                                 {QStringLiteral("key_name"), step.keyName}});
    }
    return QString::fromUtf8(QJsonDocument(steps).toJson(QJsonDocument::Compact));
}

Status RecordWriter::insertRequests(const QList<Proxy::RequestRecord> &requests)
{
    QSqlQuery query(m_db);
    // key_id goes through a sub-select: a key deleted meanwhile becomes NULL instead of failing the FK.
    if (!query.prepare(QStringLiteral(
            "INSERT INTO request_log (time, request_id, key_id, auth_source, route, model, status, outcome,"
            " input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, cost_usd, response_id,"
            " latency_ms, ttfb_ms, bytes_in, bytes_out, peer, user_agent)"
            " VALUES (?, ?, (SELECT id FROM keys WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)")))
        return Status::failure(QStringLiteral("database error: %1").arg(Sql::errorText(query)));
    for (const Proxy::RequestRecord &record : requests) {
        const auto usage = [&record](qint64 Proxy::TokenUsage::*field) {
            return record.usage ? QVariant(record.usage.value().*field) : QVariant(QMetaType::fromType<qint64>());
        };
        const QVariantList values = {
            Sql::toDbTime(timeOrNow(record.time)), textOrNull(record.requestId), record.keyId,
            textOrNull(record.authSource), textOrNull(record.route), textOrNull(record.model), record.status,
            textOrNull(record.outcome), usage(&Proxy::TokenUsage::input), usage(&Proxy::TokenUsage::cached),
            usage(&Proxy::TokenUsage::output), usage(&Proxy::TokenUsage::reasoning), usage(&Proxy::TokenUsage::total),
            textOrNull(record.responseId), record.latencyMs, Sql::nullableInt(record.ttfbMs), record.bytesIn,
            record.bytesOut, textOrNull(record.peer), textOrNull(record.userAgent)};
        for (int i = 0; i < values.size(); ++i)
            query.bindValue(i, values.at(i));
        if (!query.exec())
            return Status::failure(QStringLiteral("cannot write the request log: %1").arg(Sql::errorText(query)));
    }
    return Status::success();
}

Status RecordWriter::insertAuthEvents(const QList<Proxy::AuthTrace> &traces)
{
    QSqlQuery query(m_db);
    if (!query.prepare(QStringLiteral("INSERT INTO auth_events (time, request_id, peer, method, path, verdict, key_id,"
                                      " key_name, source, status, reason, summary, steps_json, duration_ns)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return Status::failure(QStringLiteral("database error: %1").arg(Sql::errorText(query)));
    for (const Proxy::AuthTrace &trace : traces) {
        const QVariantList values = {Sql::toDbTime(timeOrNow(trace.time)),
                                     textOrNull(trace.requestId),
                                     textOrNull(trace.peer),
                                     textOrNull(trace.method),
                                     textOrNull(trace.path),
                                     Proxy::toString(trace.verdict),
                                     trace.keyId > 0 ? QVariant(trace.keyId) : QVariant(QMetaType::fromType<qint64>()),
                                     textOrNull(trace.keyName),
                                     textOrNull(trace.source),
                                     trace.status,
                                     textOrNull(trace.reason),
                                     trace.summary(),
                                     stepsJson(trace),
                                     trace.durationNs};
        for (int i = 0; i < values.size(); ++i)
            query.bindValue(i, values.at(i));
        if (!query.exec())
            return Status::failure(QStringLiteral("cannot write auth events: %1").arg(Sql::errorText(query)));
    }
    return Status::success();
}

Status RecordWriter::touchLastUsed(const QList<Proxy::RequestRecord> &requests)
{
    QHash<qint64, QDateTime> latest;
    for (const Proxy::RequestRecord &record : requests) {
        if (record.keyId <= 0)
            continue;
        const QDateTime time = timeOrNow(record.time);
        auto it = latest.find(record.keyId);
        if (it == latest.end())
            latest.insert(record.keyId, time);
        else if (time > it.value())
            it.value() = time;
    }
    for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
        const QString time = Sql::toDbTime(it.value());
        const Status status = Sql::exec(
            m_db, QStringLiteral("UPDATE keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)"),
            {time, it.key(), time});
        if (!status)
            return status;
    }
    return Status::success();
}

Status RecordWriter::write(const QList<Proxy::RequestRecord> &requests, const QList<Proxy::AuthTrace> &traces)
{
    if (requests.isEmpty() && traces.isEmpty())
        return Status::success();
    if (const Status status = Sql::exec(m_db, QStringLiteral("BEGIN IMMEDIATE")); !status)
        return status;
    Status status = insertRequests(requests);
    if (status)
        status = insertAuthEvents(traces);
    if (status)
        status = touchLastUsed(requests);
    if (status)
        status = Sql::exec(m_db, QStringLiteral("COMMIT"));
    if (!status)
        Sql::exec(m_db, QStringLiteral("ROLLBACK"));
    return status;
}

Result<int> RecordWriter::pruneAuthEvents(const QDateTime &cutoff, int maxRows)
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("DELETE FROM auth_events WHERE time < ?"),
                                        {Sql::toDbTime(cutoff)});
        !status)
        return Result<int>::failure(status);
    int removed = query.numRowsAffected();
    const Status capped = Sql::exec(query,
                                    QStringLiteral("DELETE FROM auth_events WHERE id <= (SELECT id FROM auth_events"
                                                   " ORDER BY id DESC LIMIT 1 OFFSET ?)"),
                                    {maxRows});
    if (!capped)
        return Result<int>::failure(capped);
    removed += qMax(0, query.numRowsAffected());
    return removed;
}

} // namespace Core
