// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Proxy {

/// What the proxy learns from a Responses API response object (streamed or not).
struct ResponseUsage final
{
    QString responseId;
    QString model;
    QString status;                  ///< completed, incomplete, failed, …
    std::optional<TokenUsage> usage; ///< unset when the response carried no usage
    QString errorCode;               ///< response.error.code for failed responses

    /// Reads `id`, `model`, `status`, `usage` and `error` of the JSON text of a response object. Only
    /// `usage` and `error` are parsed into documents: the `output` a response carries can be large.
    static ResponseUsage fromResponseJson(QByteArrayView response);
};

} // namespace Proxy
