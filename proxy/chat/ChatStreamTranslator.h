// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/SseEventSplitter.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Proxy {

/// Turns a Responses API SSE stream into a chat completions answer, as the bytes arrive.
/// Streaming: `chat.completion.chunk` events (`data: {...}\n\n`) — the role in the first delta,
/// content deltas from `response.output_text.delta`, tool call deltas (index, id, name, then
/// argument pieces) from the function-call events, a last chunk with `finish_reason` (stop,
/// tool_calls, length, content_filter), with `include_usage` a chunk with empty `choices` and the
/// usage, then `data: [DONE]`. A `response.failed` or `error` event becomes one chunk
/// `{"error":{message,type,code}}` followed by `data: [DONE]` (what the openai SDKs raise on).
/// Non-streaming: nothing until the terminal event, then one `chat.completion` object (or an error
/// status and envelope). Pure; any thread.
class ChatStreamTranslator final
{
public:
    struct Options
    {
        bool stream = true;
        bool includeUsage = false;
        QString id;    ///< the completion id, e.g. chatcmpl-<request id>
        QString model; ///< until the upstream names its model
        qint64 created = 0; ///< Unix seconds
    };

    explicit ChatStreamTranslator(Options options);

    /// Feeds upstream SSE bytes; returns what to send the client now (streaming mode only).
    QByteArray feed(QByteArrayView bytes);
    /// The upstream broke off before a terminal event; returns the client bytes that end the answer.
    QByteArray fail(const QString &code, const QString &message);

    /// A terminal event was translated (or fail() was called): the answer is complete.
    bool finished() const { return m_finished; }
    /// Non-streaming: the status and body of the complete answer once finished().
    int status() const { return m_status; }
    QByteArray completion() const { return m_completion; }

private:
    struct ToolCall
    {
        int outputIndex = -1;
        QString itemId;
        QString callId;
        QString name;
        QString arguments;
    };

    void dispatch(QByteArrayView eventName, QByteArrayView data);
    void handle(const QString &type, const QJsonObject &event);
    ToolCall *toolFor(const QJsonObject &event);
    void onArguments(ToolCall *tool, const QString &arguments, bool complete);
    void finishWith(const QString &finishReason, const QJsonObject &response);
    void failWith(int status, const QString &type, const QString &code, const QString &message);
    void emitDelta(const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue::Null);
    void emitChunk(const QJsonArray &choices, const QJsonValue &usage);

    Options m_options;
    SseEventSplitter m_events;

    QByteArray m_out;
    bool m_roleSent = false;
    bool m_finished = false;
    QString m_content;
    QString m_refusal;
    QList<int> m_textOutputIndexes; ///< message items whose text arrived as deltas
    QList<ToolCall> m_tools;
    int m_status = 200;
    QByteArray m_completion;
};

} // namespace Proxy
