// SPDX-License-Identifier: MIT
#include "ChatGptBackendRules.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Proxy {

std::optional<FakeUpstream::Reply> chatGptBackendRefusal(const FakeUpstream::Request &request)
{
    if (request.method != "POST" || !request.path.endsWith("/codex/responses"))
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject body = document.object();
    const auto refuse = [](const QString &detail) {
        return FakeUpstream::Reply::json({{QStringLiteral("detail"), detail}}, 400);
    };
    if (body.value(u"store") != QJsonValue(false))
        return refuse(QStringLiteral("Store must be set to false"));
    if (body.value(u"stream") != QJsonValue(true))
        return refuse(QStringLiteral("Stream must be set to true"));
    for (const char *field : {"max_output_tokens", "temperature", "top_p", "metadata", "user", "truncation",
                              "safety_identifier", "prompt_cache_retention"})
        if (body.contains(QLatin1String(field)))
            return refuse(QStringLiteral("Unsupported parameter: ") + QLatin1String(field));
    if (body.value(u"tools").isArray() && body.value(u"tools").toArray().isEmpty())
        return refuse(QStringLiteral("Invalid 'tools': empty array. Omit tools when there are none."));
    return std::nullopt;
}

} // namespace Proxy
