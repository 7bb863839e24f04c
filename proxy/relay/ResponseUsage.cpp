// SPDX-License-Identifier: MIT
#include "proxy/relay/ResponseUsage.h"

#include "proxy/relay/JsonBodyInspector.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

namespace {

TokenUsage tokenUsage(const QJsonObject &usage)
{
    TokenUsage tokens;
    tokens.input = usage.value(u"input_tokens").toInteger();
    tokens.cached = usage.value(u"input_tokens_details").toObject().value(u"cached_tokens").toInteger();
    tokens.output = usage.value(u"output_tokens").toInteger();
    tokens.reasoning = usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInteger();
    tokens.total = usage.contains(u"total_tokens") ? usage.value(u"total_tokens").toInteger()
                                                   : tokens.input + tokens.output;
    return tokens;
}

QJsonObject objectOf(QByteArrayView raw)
{
    return raw.startsWith('{') ? QJsonDocument::fromJson(raw.toByteArray()).object() : QJsonObject();
}

} // namespace

ResponseUsage ResponseUsage::fromResponseJson(QByteArrayView response)
{
    ResponseUsage out;
    forEachTopLevelMember(response, [&out](QByteArrayView key, QByteArrayView value) {
        if (key == "id") {
            out.responseId = jsonStringValue(value);
        } else if (key == "model") {
            out.model = jsonStringValue(value);
        } else if (key == "status") {
            out.status = jsonStringValue(value);
        } else if (key == "usage" && value.startsWith('{')) {
            out.usage = tokenUsage(objectOf(value));
        } else if (key == "error") {
            out.errorCode = objectOf(value).value(u"code").toString();
        }
    });
    return out;
}

} // namespace Proxy
