// SPDX-License-Identifier: MIT
#include "proxy/relay/ResponseUsage.h"

#include "proxy/relay/JsonBodyInspector.h"


namespace Proxy {

namespace {

/// A JSON integer member value; anything else (null, a float, a string) counts as 0.
qint64 integerOf(QByteArrayView raw)
{
    bool ok = false;
    const qint64 value = raw.toLongLong(&ok);
    return ok ? value : 0;
}

/// The integer member @p name of the raw JSON object @p object, or 0.
qint64 memberInteger(QByteArrayView object, QByteArrayView name)
{
    qint64 out = 0;
    forEachTopLevelMember(object, [&](QByteArrayView key, QByteArrayView value) {
        if (key == name)
            out = integerOf(value);
    });
    return out;
}

TokenUsage tokenUsage(QByteArrayView usage)
{
    TokenUsage tokens;
    bool hasTotal = false;
    forEachTopLevelMember(usage, [&](QByteArrayView key, QByteArrayView value) {
        if (key == "input_tokens") {
            tokens.input = integerOf(value);
        } else if (key == "output_tokens") {
            tokens.output = integerOf(value);
        } else if (key == "total_tokens") {
            tokens.total = integerOf(value);
            hasTotal = true;
        } else if (key == "input_tokens_details") {
            tokens.cached = memberInteger(value, "cached_tokens");
        } else if (key == "output_tokens_details") {
            tokens.reasoning = memberInteger(value, "reasoning_tokens");
        }
    });
    if (!hasTotal)
        tokens.total = tokens.input + tokens.output;
    return tokens;
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
            out.usage = tokenUsage(value);
        } else if (key == "error" && value.startsWith('{')) {
            forEachTopLevelMember(value, [&out](QByteArrayView errorKey, QByteArrayView errorValue) {
                if (errorKey == "code")
                    out.errorCode = jsonStringValue(errorValue);
            });
        }
    });
    return out;
}

} // namespace Proxy
