// SPDX-License-Identifier: MIT
#include "proxy/relay/ResponseUsage.h"

namespace Proxy {

ResponseUsage ResponseUsage::fromResponseObject(const QJsonObject &response)
{
    ResponseUsage out;
    out.responseId = response.value(u"id").toString();
    out.model = response.value(u"model").toString();
    out.status = response.value(u"status").toString();
    out.errorCode = response.value(u"error").toObject().value(u"code").toString();
    const QJsonValue usageValue = response.value(u"usage");
    if (!usageValue.isObject())
        return out;
    const QJsonObject usage = usageValue.toObject();
    TokenUsage tokens;
    tokens.input = usage.value(u"input_tokens").toInteger();
    tokens.cached = usage.value(u"input_tokens_details").toObject().value(u"cached_tokens").toInteger();
    tokens.output = usage.value(u"output_tokens").toInteger();
    tokens.reasoning = usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInteger();
    tokens.total = usage.contains(u"total_tokens") ? usage.value(u"total_tokens").toInteger()
                                                   : tokens.input + tokens.output;
    out.usage = tokens;
    return out;
}

} // namespace Proxy
