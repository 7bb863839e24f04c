// SPDX-License-Identifier: MIT
#include "app/core/storage/AuthEventRepository.h"

#include "app/core/storage/SqlUtil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace Core {

namespace {

constexpr Proxy::HeaderOutcome AllOutcomes[] = {
    Proxy::HeaderOutcome::Absent,     Proxy::HeaderOutcome::Malformed, Proxy::HeaderOutcome::Unknown,
    Proxy::HeaderOutcome::Disabled,   Proxy::HeaderOutcome::Expired,   Proxy::HeaderOutcome::Accepted,
    Proxy::HeaderOutcome::Conflicting, Proxy::HeaderOutcome::NotTried};
constexpr Proxy::AuthVerdict AllVerdicts[] = {Proxy::AuthVerdict::Accepted, Proxy::AuthVerdict::Anonymous,
                                              Proxy::AuthVerdict::Denied, Proxy::AuthVerdict::Rejected,
                                              Proxy::AuthVerdict::Refused, Proxy::AuthVerdict::Reset};

constexpr auto Columns = "time, request_id, peer, method, path, verdict, key_id, key_name, source, status, reason,"
                         " steps_json, duration_ns, policy";

Proxy::AuthTrace traceFrom(const QSqlQuery &query)
{
    Proxy::AuthTrace trace;
    trace.time = Sql::fromDbTime(query.value(0));
    trace.requestId = query.value(1).toString();
    trace.peer = query.value(2).toString();
    trace.method = query.value(3).toString();
    trace.path = query.value(4).toString();
    trace.verdict =
        AuthEventRepository::verdictFromString(query.value(5).toString()).value_or(Proxy::AuthVerdict::Denied);
    trace.keyId = query.value(6).toLongLong(); // NULL → 0
    trace.keyName = query.value(7).toString();
    trace.source = query.value(8).toString();
    trace.status = query.value(9).toInt();
    trace.reason = query.value(10).toString();
    trace.steps = AuthEventRepository::stepsFromJson(query.value(11).toString());
    trace.durationNs = query.value(12).toLongLong();
    trace.policy = query.value(13).toString();
    return trace;
}

} // namespace

AuthEventRepository::AuthEventRepository(QSqlDatabase db) : m_db(std::move(db)) {}

std::optional<Proxy::HeaderOutcome> AuthEventRepository::headerOutcomeFromString(const QString &text)
{
    for (const Proxy::HeaderOutcome outcome : AllOutcomes)
        if (Proxy::toString(outcome) == text)
            return outcome;
    return std::nullopt;
}

std::optional<Proxy::AuthVerdict> AuthEventRepository::verdictFromString(const QString &text)
{
    for (const Proxy::AuthVerdict verdict : AllVerdicts)
        if (Proxy::toString(verdict) == text)
            return verdict;
    return std::nullopt;
}

QList<Proxy::AuthStep> AuthEventRepository::stepsFromJson(const QString &json)
{
    QList<Proxy::AuthStep> steps;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    steps.reserve(array.size());
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        Proxy::AuthStep step;
        step.header = object.value(QLatin1String("header")).toString();
        step.maskedValue = object.value(QLatin1String("masked_value")).toString();
        step.outcome = headerOutcomeFromString(object.value(QLatin1String("outcome")).toString())
                           .value_or(Proxy::HeaderOutcome::Absent);
        step.keyName = object.value(QLatin1String("key_name")).toString();
        step.rule = object.value(QLatin1String("rule")).toString();
        steps.append(step);
    }
    return steps;
}

Result<QList<Proxy::AuthTrace>> AuthEventRepository::recent(int limit) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    const Status status =
        Sql::exec(query,
                  QStringLiteral("SELECT %1 FROM auth_events ORDER BY id DESC LIMIT ?").arg(QLatin1String(Columns)),
                  {qMax(0, limit)});
    if (!status)
        return Result<QList<Proxy::AuthTrace>>::failure(status);
    QList<Proxy::AuthTrace> traces;
    traces.reserve(qMax(0, limit));
    while (query.next())
        traces.append(traceFrom(query));
    return traces;
}

Result<AuthEventRepository::Resets> AuthEventRepository::resetsAfter(qint64 afterId) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    const Status status = Sql::exec(
        query,
        QStringLiteral("SELECT %1, id FROM auth_events WHERE verdict = 'reset' AND id > ? ORDER BY id")
            .arg(QLatin1String(Columns)),
        {afterId});
    if (!status)
        return Result<Resets>::failure(status);
    Resets resets{{}, afterId};
    while (query.next()) {
        resets.traces.append(traceFrom(query));
        resets.lastId = query.value(14).toLongLong();
    }
    return resets;
}

} // namespace Core
