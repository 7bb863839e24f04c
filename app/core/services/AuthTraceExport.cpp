// SPDX-License-Identifier: MIT
#include "app/core/services/AuthTraceExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace Core {

namespace {

QString stepText(const Proxy::AuthStep &step)
{
    QString text = step.header + QStringLiteral(": ") + Proxy::toString(step.outcome);
    if (!step.maskedValue.isEmpty())
        text += u' ' + step.maskedValue;
    if (!step.keyName.isEmpty())
        text += QStringLiteral(" \"") + step.keyName + u'"';
    if (!step.rule.isEmpty())
        text += QStringLiteral(" [") + step.rule + u']';
    return text;
}

QString durationText(qint64 durationNs)
{
    return QString::number(AuthTraceExport::durationUs(durationNs), 'f', 1);
}

} // namespace

QStringList AuthTraceExport::columns()
{
    return {QStringLiteral("time"),        QStringLiteral("request_id"), QStringLiteral("peer"),
            QStringLiteral("method"),      QStringLiteral("path"),       QStringLiteral("verdict"),
            QStringLiteral("status"),      QStringLiteral("key_id"),     QStringLiteral("key_name"),
            QStringLiteral("source"),      QStringLiteral("summary"),    QStringLiteral("reason"),
            QStringLiteral("duration_us"), QStringLiteral("steps")};
}

QString AuthTraceExport::isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

double AuthTraceExport::durationUs(qint64 durationNs)
{
    return std::round(double(durationNs) / 100.0) / 10.0;
}

QString AuthTraceExport::csvField(const QString &text)
{
    const bool needsQuotes =
        text.contains(u',') || text.contains(u'"') || text.contains(u'\r') || text.contains(u'\n');
    if (!needsQuotes)
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QByteArray AuthTraceExport::toJson(const QList<Proxy::AuthTrace> &traces)
{
    QJsonArray array;
    for (const Proxy::AuthTrace &trace : traces) {
        QJsonArray steps;
        for (const Proxy::AuthStep &step : trace.steps) {
            QJsonObject object{{QStringLiteral("header"), step.header},
                               {QStringLiteral("value"), step.maskedValue},
                               {QStringLiteral("outcome"), Proxy::toString(step.outcome)},
                               {QStringLiteral("key_name"), step.keyName}};
            if (!step.rule.isEmpty())
                object.insert(QStringLiteral("rule"), step.rule);
            steps.append(object);
        }
        QJsonObject object{
            {QStringLiteral("time"), isoTime(trace.time)},
            {QStringLiteral("request_id"), trace.requestId},
            {QStringLiteral("peer"), trace.peer},
            {QStringLiteral("method"), trace.method},
            {QStringLiteral("path"), trace.path},
            {QStringLiteral("verdict"), Proxy::toString(trace.verdict)},
            {QStringLiteral("status"), trace.status},
            {QStringLiteral("key_id"), trace.keyId > 0 ? QJsonValue(trace.keyId) : QJsonValue()},
            {QStringLiteral("key_name"), trace.keyName},
            {QStringLiteral("source"), trace.source},
            {QStringLiteral("summary"), trace.summary()},
            {QStringLiteral("reason"), trace.reason},
            {QStringLiteral("duration_us"), durationUs(trace.durationNs)},
            {QStringLiteral("steps"), steps}};
        array.append(object);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

QByteArray AuthTraceExport::toCsv(const QList<Proxy::AuthTrace> &traces)
{
    QString csv = columns().join(u',') + QStringLiteral("\r\n");
    for (const Proxy::AuthTrace &trace : traces) {
        QStringList steps;
        for (const Proxy::AuthStep &step : trace.steps)
            steps.append(stepText(step));
        const QStringList fields{isoTime(trace.time),
                                 trace.requestId,
                                 trace.peer,
                                 trace.method,
                                 trace.path,
                                 Proxy::toString(trace.verdict),
                                 QString::number(trace.status),
                                 trace.keyId > 0 ? QString::number(trace.keyId) : QString(),
                                 trace.keyName,
                                 trace.source,
                                 trace.summary(),
                                 trace.reason,
                                 durationText(trace.durationNs),
                                 steps.join(QStringLiteral("; "))};
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (i > 0)
                csv += u',';
            csv += csvField(fields.at(i));
        }
        csv += QStringLiteral("\r\n");
    }
    return csv.toUtf8();
}

} // namespace Core
