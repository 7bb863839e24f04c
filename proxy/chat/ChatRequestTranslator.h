// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/UpstreamConfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Proxy {

/// A chat completions request, validated and translated to a Responses request.
struct ChatRequestTranslation final
{
    /// Set when the request was refused: answered 400 in the OpenAI envelope with this `param`.
    struct Error
    {
        QString message;
        QString param;
    };
    std::optional<Error> error;

    QString model;
    bool stream = false;       ///< the client's `stream`; the upstream is always streamed
    bool includeUsage = false; ///< `stream_options.include_usage`
    QJsonObject responses;     ///< the Responses body shared by every upstream kind
    std::optional<qint64> maxOutputTokens; ///< `max_completion_tokens`, else `max_tokens`
    std::optional<double> temperature;
    std::optional<double> topP;

    bool ok() const { return !error.has_value(); }
    /// The 400 body for error (the OpenAI envelope with `param`).
    QByteArray errorBody() const;
    /// The Responses request for @p upstream, always `stream: true`, `store: false`. The Codex
    /// backend gets `instructions` even when empty and never `max_output_tokens`, `temperature` or
    /// `top_p`, which it rejects; an OpenAI upstream gets them as given.
    QByteArray responsesBody(const UpstreamConfig &upstream) const;
    /// What responsesBody() leaves out for a codex-kind account, for the trace: "dropped max_output_tokens", …
    QStringList codexChanges() const;
};

/// Translates a `POST /v1/chat/completions` body into a Responses request: leading system/developer
/// messages become `instructions`, later ones developer input messages; user/assistant content
/// (string or text/image_url/file parts) becomes message items; assistant `tool_calls` become
/// `function_call` items and `tool` messages `function_call_output` items; function `tools`,
/// `tool_choice`, `reasoning_effort` and `response_format` map to their Responses forms. Unknown
/// roles, part and tool types and mistyped fields are refused with the offending `param`; unknown
/// top-level members are ignored. Pure; any thread.
class ChatRequestTranslator final
{
public:
    static ChatRequestTranslation translate(QByteArrayView body);
};

} // namespace Proxy
