// SPDX-License-Identifier: MIT
#include "proxy/chat/ChatCompletionTransform.h"

#include "proxy/http/HttpExchange.h"

#include <QDateTime>

#include <memory>

namespace Proxy {

ChatCompletionTransform::ChatCompletionTransform(ChatStreamTranslator::Options options)
    : m_translator(options)
    , m_stream(options.stream)
{
}

FailoverRelay::Translation ChatCompletionTransform::translation(const ChatRequestTranslation &chat,
                                                                const HttpRequest &request, const QString &requestId)
{
    FailoverRelay::Translation out;
    auto shared = std::make_shared<const ChatRequestTranslation>(chat);
    out.body = [shared](const UpstreamConfig &upstream) { return shared->responsesBody(upstream); };
    // Our own body goes upstream, always streamed: describe it, not the client's.
    out.clientHeaders = request.headers;
    out.clientHeaders.remove("content-encoding");
    out.clientHeaders.set("Content-Type", "application/json");
    out.clientHeaders.set("Accept", "text/event-stream");
    const ChatStreamTranslator::Options options{chat.stream, chat.includeUsage, QStringLiteral("chatcmpl-") + requestId,
                                                chat.model, QDateTime::currentSecsSinceEpoch()};
    out.makeTransform = [options] { return std::make_unique<ChatCompletionTransform>(options); };
    return out;
}

void ChatCompletionTransform::begin(HttpExchange &exchange, int upstreamStatus, const HttpHeaders &upstreamHeaders,
                                    HttpHeaders clientHeaders)
{
    m_status = upstreamStatus;
    m_translating = upstreamStatus >= 200 && upstreamStatus < 300
                    && upstreamHeaders.value("content-type").startsWith("text/event-stream");
    if (!m_translating) {
        exchange.beginStream(upstreamStatus, clientHeaders);
        return;
    }
    m_status = 200;
    if (m_stream) {
        clientHeaders.set("Content-Type", "text/event-stream");
        exchange.beginStream(200, clientHeaders);
        return;
    }
    clientHeaders.remove("cache-control");
    clientHeaders.remove("x-accel-buffering");
    clientHeaders.set("Content-Type", "application/json");
    m_headers = std::move(clientHeaders);
}

qint64 ChatCompletionTransform::write(HttpExchange &exchange, const QByteArray &upstreamBytes)
{
    if (m_ended)
        return 0;
    if (!m_translating) {
        exchange.writeChunk(upstreamBytes);
        return upstreamBytes.size();
    }
    return deliver(exchange, m_translator.feed(upstreamBytes));
}

qint64 ChatCompletionTransform::end(HttpExchange &exchange)
{
    if (m_ended)
        return 0;
    if (m_translating)
        return fail(exchange, QStringLiteral("stream_incomplete"),
                    QStringLiteral("Upstream closed the stream before response.completed"));
    m_ended = true;
    exchange.endStream();
    return 0;
}

qint64 ChatCompletionTransform::fail(HttpExchange &exchange, const QString &code, const QString &message)
{
    if (m_ended)
        return 0;
    if (m_translating)
        return deliver(exchange, m_translator.fail(code, message));
    m_ended = true;
    exchange.endStream();
    return 0;
}

qint64 ChatCompletionTransform::deliver(HttpExchange &exchange, const QByteArray &bytes)
{
    if (m_stream) {
        exchange.writeChunk(bytes);
        if (m_translator.finished()) {
            // The answer is complete at the terminal event: clients wait for the end of the body.
            m_ended = true;
            exchange.endStream();
        }
        return bytes.size();
    }
    if (!m_translator.finished())
        return 0;
    m_ended = true;
    m_status = m_translator.status();
    const QByteArray body = m_translator.completion();
    exchange.respond(m_status, m_headers, body);
    return body.size();
}

} // namespace Proxy
