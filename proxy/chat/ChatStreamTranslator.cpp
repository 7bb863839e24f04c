// SPDX-License-Identifier: MIT
#include "proxy/chat/ChatStreamTranslator.h"

#include "proxy/ErrorEnvelope.h"

#include <QJsonDocument>

namespace Proxy {

namespace {

/// Responses `usage` → chat `usage`.
QJsonObject chatUsage(const QJsonObject &usage)
{
    const qint64 input = usage.value(u"input_tokens").toInteger();
    const qint64 output = usage.value(u"output_tokens").toInteger();
    const qint64 total = usage.contains(u"total_tokens") ? usage.value(u"total_tokens").toInteger() : input + output;
    return {{QStringLiteral("prompt_tokens"), input},
            {QStringLiteral("completion_tokens"), output},
            {QStringLiteral("total_tokens"), total},
            {QStringLiteral("prompt_tokens_details"),
             QJsonObject{{QStringLiteral("cached_tokens"),
                          usage.value(u"input_tokens_details").toObject().value(u"cached_tokens").toInteger()}}},
            {QStringLiteral("completion_tokens_details"),
             QJsonObject{{QStringLiteral("reasoning_tokens"),
                          usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInteger()}}}};
}

/// The status a non-streaming client gets for a failed response, from its error code.
int failureStatus(const QString &code)
{
    if (code == u"rate_limit_exceeded" || code == u"usage_limit_reached" || code == u"insufficient_quota")
        return 429;
    if (code == u"context_length_exceeded" || code == u"invalid_prompt" || code == u"invalid_request_error")
        return 400;
    return 502;
}

QByteArray sseData(const QJsonObject &object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

} // namespace

ChatStreamTranslator::ChatStreamTranslator(Options options) : m_options(std::move(options)) {}

QByteArray ChatStreamTranslator::feed(QByteArrayView bytes)
{
    if (!m_finished) {
        m_events.feed(bytes, [this](QByteArrayView name, QByteArrayView data) {
            if (!m_finished) // nothing after the terminal event counts
                dispatch(name, data);
        });
    }
    return std::exchange(m_out, {});
}

QByteArray ChatStreamTranslator::fail(const QString &code, const QString &message)
{
    if (!m_finished)
        failWith(502, QStringLiteral("server_error"), code, message);
    return std::exchange(m_out, {});
}

void ChatStreamTranslator::dispatch(QByteArrayView eventName, QByteArrayView data)
{
    if (data.isEmpty() || data == "[DONE]")
        return;
    const QJsonObject event = QJsonDocument::fromJson(data.toByteArray()).object();
    QString type = event.value(u"type").toString();
    if (type.isEmpty())
        type = QString::fromLatin1(eventName);
    handle(type, event);
}

void ChatStreamTranslator::handle(const QString &type, const QJsonObject &event)
{
    if (type == u"response.created" || type == u"response.in_progress") {
        const QString model = event.value(u"response").toObject().value(u"model").toString();
        if (!model.isEmpty())
            m_options.model = model;
        if (!m_roleSent)
            emitDelta({});
    } else if (type == u"response.output_text.delta") {
        const QString delta = event.value(u"delta").toString();
        const int index = event.value(u"output_index").toInt(-1);
        if (!m_textOutputIndexes.contains(index))
            m_textOutputIndexes.append(index);
        m_content += delta;
        emitDelta({{QStringLiteral("content"), delta}});
    } else if (type == u"response.refusal.delta") {
        const QString delta = event.value(u"delta").toString();
        m_refusal += delta;
        emitDelta({{QStringLiteral("refusal"), delta}});
    } else if (type == u"response.output_item.added") {
        const QJsonObject item = event.value(u"item").toObject();
        if (item.value(u"type").toString() != u"function_call")
            return;
        ToolCall tool{event.value(u"output_index").toInt(-1), item.value(u"id").toString(),
                      item.value(u"call_id").toString(), item.value(u"name").toString(), {}};
        m_tools.append(tool);
        const QJsonObject function{{QStringLiteral("name"), tool.name}, {QStringLiteral("arguments"), QStringLiteral("")}};
        emitDelta({{QStringLiteral("tool_calls"),
                    QJsonArray{QJsonObject{{QStringLiteral("index"), int(m_tools.size() - 1)},
                                           {QStringLiteral("id"), tool.callId},
                                           {QStringLiteral("type"), QStringLiteral("function")},
                                           {QStringLiteral("function"), function}}}}});
        const QString arguments = item.value(u"arguments").toString();
        if (!arguments.isEmpty())
            onArguments(&m_tools.last(), arguments, true);
    } else if (type == u"response.function_call_arguments.delta") {
        onArguments(toolFor(event), event.value(u"delta").toString(), false);
    } else if (type == u"response.function_call_arguments.done") {
        onArguments(toolFor(event), event.value(u"arguments").toString(), true);
    } else if (type == u"response.output_item.done") {
        const QJsonObject item = event.value(u"item").toObject();
        if (item.value(u"type").toString() == u"function_call") {
            onArguments(toolFor(event), item.value(u"arguments").toString(), true);
        } else if (item.value(u"type").toString() == u"message"
                   && !m_textOutputIndexes.contains(event.value(u"output_index").toInt(-1))) {
            // A message that arrived whole, without deltas: send its text at once.
            QString text;
            for (const QJsonValue &part : item.value(u"content").toArray())
                if (part.toObject().value(u"type").toString() == u"output_text")
                    text += part.toObject().value(u"text").toString();
            if (!text.isEmpty()) {
                m_content += text;
                emitDelta({{QStringLiteral("content"), text}});
            }
        }
    } else if (type == u"response.completed" || type == u"response.done") {
        finishWith(m_tools.isEmpty() ? QStringLiteral("stop") : QStringLiteral("tool_calls"),
                   event.value(u"response").toObject());
    } else if (type == u"response.incomplete") {
        const QJsonObject response = event.value(u"response").toObject();
        const QString reason = response.value(u"incomplete_details").toObject().value(u"reason").toString();
        finishWith(reason == u"content_filter" ? QStringLiteral("content_filter") : QStringLiteral("length"), response);
    } else if (type == u"response.failed") {
        const QJsonObject error = event.value(u"response").toObject().value(u"error").toObject();
        const QString code = error.value(u"code").toString(QStringLiteral("upstream_error"));
        failWith(failureStatus(code), QStringLiteral("server_error"), code,
                 error.value(u"message").toString(QStringLiteral("The upstream response failed")));
    } else if (type == u"error") {
        const QJsonObject error = event.value(u"error").isObject() ? event.value(u"error").toObject() : event;
        const QString code = error.value(u"code").toString(QStringLiteral("upstream_error"));
        failWith(failureStatus(code), error.value(u"type").toString(QStringLiteral("server_error")), code,
                 error.value(u"message").toString(QStringLiteral("The upstream reported an error")));
    }
}

ChatStreamTranslator::ToolCall *ChatStreamTranslator::toolFor(const QJsonObject &event)
{
    const QString itemId = event.value(u"item_id").toString(event.value(u"item").toObject().value(u"id").toString());
    const int outputIndex = event.value(u"output_index").toInt(-1);
    for (ToolCall &tool : m_tools)
        if ((!itemId.isEmpty() && tool.itemId == itemId) || (outputIndex >= 0 && tool.outputIndex == outputIndex))
            return &tool;
    return nullptr;
}

void ChatStreamTranslator::onArguments(ToolCall *tool, const QString &arguments, bool complete)
{
    if (!tool)
        return;
    // `.done` and `output_item.done` repeat the whole string: send only what the deltas missed.
    QString piece = arguments;
    if (complete) {
        if (!arguments.startsWith(tool->arguments))
            return;
        piece = arguments.mid(tool->arguments.size());
    }
    if (piece.isEmpty())
        return;
    tool->arguments += piece;
    const int index = int(tool - m_tools.data());
    emitDelta({{QStringLiteral("tool_calls"),
                QJsonArray{QJsonObject{{QStringLiteral("index"), index},
                                       {QStringLiteral("function"), QJsonObject{{QStringLiteral("arguments"), piece}}}}}}});
}

void ChatStreamTranslator::finishWith(const QString &finishReason, const QJsonObject &response)
{
    m_finished = true;
    if (!response.value(u"model").toString().isEmpty())
        m_options.model = response.value(u"model").toString();
    const QJsonValue usage = response.value(u"usage").isObject() ? QJsonValue(chatUsage(response.value(u"usage").toObject()))
                                                                 : QJsonValue(QJsonValue::Null);
    if (m_options.stream) {
        emitDelta({}, finishReason);
        if (m_options.includeUsage)
            emitChunk({}, usage);
        m_out += "data: [DONE]\n\n";
        return;
    }
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), m_content.isEmpty() && !m_tools.isEmpty() ? QJsonValue()
                                                                                              : QJsonValue(m_content)},
                        {QStringLiteral("refusal"), m_refusal.isEmpty() ? QJsonValue() : QJsonValue(m_refusal)}};
    if (!m_tools.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall &tool : std::as_const(m_tools))
            calls.append(QJsonObject{{QStringLiteral("id"), tool.callId},
                                     {QStringLiteral("type"), QStringLiteral("function")},
                                     {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), tool.name},
                                                                              {QStringLiteral("arguments"), tool.arguments}}}});
        message.insert(QStringLiteral("tool_calls"), calls);
    }
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("message"), message},
                             {QStringLiteral("logprobs"), QJsonValue()},
                             {QStringLiteral("finish_reason"), finishReason}};
    QJsonObject completion{{QStringLiteral("id"), m_options.id},
                           {QStringLiteral("object"), QStringLiteral("chat.completion")},
                           {QStringLiteral("created"), m_options.created},
                           {QStringLiteral("model"), m_options.model},
                           {QStringLiteral("choices"), QJsonArray{choice}}};
    if (usage.isObject())
        completion.insert(QStringLiteral("usage"), usage);
    m_status = 200;
    m_completion = QJsonDocument(completion).toJson(QJsonDocument::Compact);
}

void ChatStreamTranslator::failWith(int status, const QString &type, const QString &code, const QString &message)
{
    m_finished = true;
    if (m_options.stream) {
        const QJsonObject error{{QStringLiteral("message"), message},
                                {QStringLiteral("type"), type},
                                {QStringLiteral("code"), code}};
        m_out += sseData({{QStringLiteral("error"), error}});
        m_out += "data: [DONE]\n\n";
        return;
    }
    m_status = status;
    m_completion = errorEnvelope(message, type, code);
}

void ChatStreamTranslator::emitDelta(const QJsonObject &delta, const QJsonValue &finishReason)
{
    if (!m_options.stream)
        return;
    QJsonObject first = delta;
    if (!m_roleSent) {
        m_roleSent = true;
        first.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        if (!first.contains(u"content") && !first.contains(u"tool_calls"))
            first.insert(QStringLiteral("content"), QStringLiteral(""));
    }
    emitChunk({QJsonObject{{QStringLiteral("index"), 0},
                           {QStringLiteral("delta"), first},
                           {QStringLiteral("logprobs"), QJsonValue()},
                           {QStringLiteral("finish_reason"), finishReason}}},
              QJsonValue::Null);
}

void ChatStreamTranslator::emitChunk(const QJsonArray &choices, const QJsonValue &usage)
{
    QJsonObject chunk{{QStringLiteral("id"), m_options.id},
                      {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                      {QStringLiteral("created"), m_options.created},
                      {QStringLiteral("model"), m_options.model},
                      {QStringLiteral("choices"), choices}};
    if (m_options.includeUsage)
        chunk.insert(QStringLiteral("usage"), usage);
    m_out += sseData(chunk);
}

} // namespace Proxy
