// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

#include <functional>

namespace Proxy {

/// What the proxy needs from a Responses request body, read in one pass without building a
/// document: is it a well-formed JSON object (RFC 8259), its top-level "model", "stream",
/// "prompt_cache_key" and "service_tier", and "reasoning.effort".
/// Agents send bodies of hundreds of kilobytes every turn; a full QJsonDocument parse of those on the
/// proxy thread would stall every other stream for milliseconds.
struct JsonBodyInspection final
{
    bool validObject = false;
    QString model;      ///< top-level "model" when it is a string without escapes, else empty
    bool stream = false; ///< top-level "stream": true
    QString promptCacheKey; ///< top-level "prompt_cache_key" when it is a string, else empty
    QString serviceTier;    ///< top-level "service_tier" when it is a string, else empty
    QString reasoningEffort; ///< "reasoning": {"effort": …} when it is a string, else empty

    static JsonBodyInspection inspect(QByteArrayView body);
};

/// Calls @p member with the key and the raw, unparsed text of each top-level member of the JSON object
/// @p text (keys with escapes are skipped). Returns false, after possibly some calls, when @p text is
/// not one well-formed object (RFC 8259, valid UTF-8).
bool forEachTopLevelMember(QByteArrayView text,
                           const std::function<void(QByteArrayView key, QByteArrayView value)> &member);

/// The string a raw JSON string value stands for; a null QString when @p raw is not a string.
QString jsonStringValue(QByteArrayView raw);

} // namespace Proxy
