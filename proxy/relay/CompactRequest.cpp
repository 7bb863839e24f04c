// SPDX-License-Identifier: MIT
#include "proxy/relay/CompactRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

namespace {

const QString TriggerType = QStringLiteral("compaction_trigger");

bool isTrigger(const QJsonValue &item)
{
    return item.toObject().value(u"type").toString() == TriggerType;
}

CompactRequest refused(const QString &error)
{
    CompactRequest out;
    out.error = error;
    return out;
}

} // namespace

CompactRequest CompactRequest::fromClientBody(QByteArrayView body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (!document.isObject())
        return refused(QStringLiteral("The request body is not a valid JSON object"));
    QJsonObject request = document.object();

    QJsonArray input;
    const QJsonValue given = request.value(u"input");
    if (given.isString()) {
        const QJsonObject text{{QStringLiteral("type"), QStringLiteral("input_text")},
                               {QStringLiteral("text"), given.toString()}};
        input.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("message")},
                                 {QStringLiteral("role"), QStringLiteral("user")},
                                 {QStringLiteral("content"), QJsonArray{text}}});
    } else if (given.isArray()) {
        input = given.toArray();
    } else if (!given.isUndefined() && !given.isNull()) {
        return refused(QStringLiteral("input must be a string or an array of items"));
    }
    for (qsizetype i = 0; i + 1 < input.size(); ++i) {
        if (isTrigger(input.at(i)))
            return refused(QStringLiteral("A compaction_trigger item may only appear once, as the last input item"));
    }
    if (input.isEmpty() || !isTrigger(input.last()))
        input.append(QJsonObject{{QStringLiteral("type"), TriggerType}});

    request.insert(QStringLiteral("input"), input);
    request.insert(QStringLiteral("store"), false);
    request.insert(QStringLiteral("stream"), true);
    request.insert(QStringLiteral("parallel_tool_calls"), false);
    request.remove(QStringLiteral("tools"));
    request.remove(QStringLiteral("tool_choice"));
    CompactRequest out;
    out.upstreamBody = QJsonDocument(request).toJson(QJsonDocument::Compact);
    return out;
}

} // namespace Proxy
