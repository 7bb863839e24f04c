// SPDX-License-Identifier: MIT
#include "proxy/relay/JsonBodyInspector.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Proxy {

bool forEachTopLevelMember(QByteArrayView text,
                           const std::function<void(QByteArrayView name, QByteArrayView value)> &member)
{
    return JsonScanner(text, JsonScanner::Mode::Lenient).scanObject([&member](const JsonMember &found) {
        member(found.name, found.value);
    });
}

QString jsonStringValue(QByteArrayView raw)
{
    if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"')
        return {};
    if (!raw.contains('\\'))
        return QString::fromUtf8(raw.sliced(1, raw.size() - 2));
    // Escapes are rare in ids and model names: let Qt decode this one small value.
    const QByteArray wrapped = '[' + raw.toByteArray() + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0).toString();
}

JsonBodyInspection JsonBodyInspection::inspect(QByteArrayView body)
{
    JsonBodyInspection out;
    JsonScanner scanner(body, JsonScanner::Mode::Strict);
    const bool ok = scanner.scanObject([&out](const JsonMember &member) {
        const QByteArrayView name = member.name;
        const QByteArrayView value = member.value;
        if (name == "model")
            out.model = jsonStringValue(value);
        else if (name == "stream")
            out.stream = value == "true";
        else if (name == "prompt_cache_key")
            out.promptCacheKey = jsonStringValue(value);
        else if (name == "service_tier")
            out.serviceTier = jsonStringValue(value);
        else if (name == "reasoning") // already scanned strictly: its names are unique
            forEachTopLevelMember(value, [&out](QByteArrayView reasoningName, QByteArrayView effort) {
                if (reasoningName == "effort")
                    out.reasoningEffort = jsonStringValue(effort);
            });
    });
    if (!ok) {
        out = JsonBodyInspection();
        out.refusal = scanner.refusal();
    }
    return out;
}

} // namespace Proxy
