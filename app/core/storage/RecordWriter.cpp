// SPDX-License-Identifier: MIT
#include "app/core/storage/RecordWriter.h"

#include "app/core/storage/SqlUtil.h"
#include "app/core/storage/SqliteStatement.h"

#include <QHash>
#include <QSqlQuery>

namespace Core {

namespace {

QDateTime timeOrNow(const QDateTime &time)
{
    return time.isValid() ? time : QDateTime::currentDateTimeUtc();
}

void appendJsonString(QString &out, const QString &text)
{
    out += u'"';
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += QStringLiteral("\\\"");
            break;
        case u'\\':
            out += QStringLiteral("\\\\");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QChar(u'0'));
            else
                out += c;
        }
    }
    out += u'"';
}

} // namespace

RecordWriter::RecordWriter(QSqlDatabase db) : m_db(std::move(db)) {}

QString RecordWriter::stepsJson(const Proxy::AuthTrace &trace)
{
    QString json;
    json.reserve(64 + trace.steps.size() * 96);
    json += u'[';
    for (const Proxy::AuthStep &step : trace.steps) {
        if (json.size() > 1)
            json += u',';
        json += QStringLiteral("{\"header\":");
        appendJsonString(json, step.header);
        json += QStringLiteral(",\"masked_value\":");
        appendJsonString(json, step.maskedValue);
        json += QStringLiteral(",\"outcome\":");
        appendJsonString(json, Proxy::toString(step.outcome));
        json += QStringLiteral(",\"key_name\":");
        appendJsonString(json, step.keyName);
        if (!step.rule.isEmpty()) {
            json += QStringLiteral(",\"rule\":");
            appendJsonString(json, step.rule);
        }
        json += u'}';
    }
    json += u']';
    return json;
}

Status RecordWriter::insertRequests(const QList<Proxy::RequestRecord> &requests)
{
    if (requests.isEmpty())
        return Status::success();
    // key_id goes through a sub-select: a key deleted meanwhile becomes NULL instead of failing the FK.
    SqliteStatement insert(m_db,
                           "INSERT INTO request_log (time, request_id, key_id, auth_source, route, model, status,"
                           " outcome, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens,"
                           " cost_usd, response_id, latency_ms, ttfb_ms, bytes_in, bytes_out, peer, user_agent,"
                           " account_id, cost_micros, usage_source)"
                           " VALUES (?, ?, (SELECT id FROM keys WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                           " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.isValid())
        return Status::failure(QStringLiteral("database error: %1").arg(insert.errorString()));
    for (const Proxy::RequestRecord &record : requests) {
        const auto usage = [&record](qint64 Proxy::TokenUsage::*field) {
            return record.usage ? std::optional<qint64>(record.usage.value().*field) : std::nullopt;
        };
        insert.bind(1, Sql::toDbTime(timeOrNow(record.time)));
        insert.bind(2, record.requestId);
        insert.bind(3, record.keyId);
        insert.bind(4, record.authSource);
        insert.bind(5, record.route);
        insert.bind(6, record.model);
        insert.bind(7, qint64(record.status));
        insert.bind(8, record.outcome);
        insert.bind(9, usage(&Proxy::TokenUsage::input));
        insert.bind(10, usage(&Proxy::TokenUsage::cached));
        insert.bind(11, usage(&Proxy::TokenUsage::output));
        insert.bind(12, usage(&Proxy::TokenUsage::reasoning));
        insert.bind(13, usage(&Proxy::TokenUsage::total));
        insert.bind(14, record.costMicros ? std::optional<double>(double(*record.costMicros) / 1e6) : std::nullopt);
        insert.bind(15, record.responseId);
        insert.bind(16, record.latencyMs);
        insert.bind(17, record.ttfbMs);
        insert.bind(18, record.bytesIn);
        insert.bind(19, record.bytesOut);
        insert.bind(20, record.peer);
        insert.bind(21, record.userAgent);
        insert.bind(22, record.accountId > 0 ? std::optional<qint64>(record.accountId) : std::nullopt);
        insert.bind(23, record.costMicros);
        insert.bind(24, record.usageSource.isEmpty() ? QString() : record.usageSource); // NULL unless charged as unfinished
        if (!insert.execute())
            return Status::failure(QStringLiteral("cannot write the request log: %1").arg(insert.errorString()));
    }
    return Status::success();
}

Status RecordWriter::insertAuthEvents(const QList<Proxy::AuthTrace> &traces)
{
    if (traces.isEmpty())
        return Status::success();
    SqliteStatement insert(m_db, "INSERT INTO auth_events (time, request_id, peer, method, path, verdict, key_id,"
                                 " key_name, source, status, reason, summary, steps_json, duration_ns, policy)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.isValid())
        return Status::failure(QStringLiteral("database error: %1").arg(insert.errorString()));
    for (const Proxy::AuthTrace &trace : traces) {
        insert.bind(1, Sql::toDbTime(timeOrNow(trace.time)));
        insert.bind(2, trace.requestId);
        insert.bind(3, trace.peer);
        insert.bind(4, trace.method);
        insert.bind(5, trace.path);
        insert.bind(6, Proxy::toString(trace.verdict));
        insert.bind(7, trace.keyId > 0 ? std::optional<qint64>(trace.keyId) : std::nullopt);
        insert.bind(8, trace.keyName);
        insert.bind(9, trace.source);
        insert.bind(10, qint64(trace.status));
        insert.bind(11, trace.reason);
        insert.bind(12, trace.summary());
        insert.bind(13, stepsJson(trace));
        insert.bind(14, trace.durationNs);
        insert.bind(15, trace.policy);
        if (!insert.execute())
            return Status::failure(QStringLiteral("cannot write auth events: %1").arg(insert.errorString()));
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

Result<qint64> RecordWriter::lastRequestRowId()
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM request_log")); !status)
        return Result<qint64>::failure(status);
    return query.next() ? query.value(0).toLongLong() : 0;
}

Status RecordWriter::rollUpAfter(qint64 rowId)
{
    // The rows this transaction inserted are exactly those above the previous maximum id; summing
    // them here (not later, before pruning) makes the rollup commit or roll back with the rows.
    return Sql::exec(m_db,
                     QStringLiteral("INSERT INTO usage_daily SELECT substr(time, 1, 10), COALESCE(key_id, 0), COUNT(*),"
                                    " COALESCE(SUM(input_tokens), 0), COALESCE(SUM(cached_tokens), 0),"
                                    " COALESCE(SUM(output_tokens), 0), COALESCE(SUM(reasoning_tokens), 0),"
                                    " COALESCE(SUM(total_tokens), 0), COALESCE(SUM(cost_micros), 0),"
                                    " SUM(CASE WHEN status >= 400 OR outcome <> 'ok' THEN 1 ELSE 0 END),"
                                    " SUM(CASE WHEN total_tokens > 0 AND cost_micros IS NULL THEN 1 ELSE 0 END)"
                                    " FROM request_log WHERE id > ? GROUP BY 1, 2"
                                    " ON CONFLICT (day, key_id) DO UPDATE SET requests = requests + excluded.requests,"
                                    " input_tokens = input_tokens + excluded.input_tokens,"
                                    " cached_tokens = cached_tokens + excluded.cached_tokens,"
                                    " output_tokens = output_tokens + excluded.output_tokens,"
                                    " reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,"
                                    " total_tokens = total_tokens + excluded.total_tokens,"
                                    " cost_micros = cost_micros + excluded.cost_micros,"
                                    " errors = errors + excluded.errors,"
                                    " unpriced_requests = unpriced_requests + excluded.unpriced_requests"),
                     {rowId});
}

Status RecordWriter::write(const QList<Proxy::RequestRecord> &requests, const QList<Proxy::AuthTrace> &traces)
{
    if (requests.isEmpty() && traces.isEmpty())
        return Status::success();
    if (const Status status = Sql::exec(m_db, QStringLiteral("BEGIN IMMEDIATE")); !status)
        return status;
    const Result<qint64> before = requests.isEmpty() ? Result<qint64>(0) : lastRequestRowId();
    Status status = before.status();
    if (status)
        status = insertRequests(requests);
    if (status && !requests.isEmpty())
        status = rollUpAfter(before.value());
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
