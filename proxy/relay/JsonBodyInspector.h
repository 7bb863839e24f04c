// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/JsonScanner.h"

#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>

namespace Proxy {

/// What the proxy needs from a Responses request body, read in one pass without building a
/// document (JsonScanner, Strict): is it a well-formed JSON object (RFC 8259) without duplicate or
/// undecodable member names at any depth, its top-level "model", "stream", "prompt_cache_key" and
/// "service_tier", and "reasoning.effort" — names read decoded, as the upstream reads them, so the
/// policy judges exactly the values the upstream will use.
struct JsonBodyInspection final
{
    std::optional<JsonRefusal> refusal; ///< why the body must be answered 400; then every field is empty
    QString model;                      ///< top-level "model" when it is a string, else empty
    bool stream = false;                ///< top-level "stream": true
    QString promptCacheKey;             ///< top-level "prompt_cache_key" when it is a string, else empty
    QString serviceTier;                ///< top-level "service_tier" when it is a string, else empty
    QString reasoningEffort;            ///< "reasoning": {"effort": …} when it is a string, else empty

    bool ok() const { return !refusal; }
    static JsonBodyInspection inspect(QByteArrayView body);
};

/// Calls @p member with the decoded name and the raw, unparsed text of each top-level member of the JSON
/// object @p text (JsonScanner, Lenient: for upstream answers). Returns false, after possibly some calls,
/// when @p text is not one well-formed object (RFC 8259, valid UTF-8).
bool forEachTopLevelMember(QByteArrayView text,
                           const std::function<void(QByteArrayView name, QByteArrayView value)> &member);

/// The string a raw JSON string value stands for; a null QString when @p raw is not a string.
QString jsonStringValue(QByteArrayView raw);

} // namespace Proxy
