// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/chat/ChatRequestTranslator.h"
#include "proxy/chat/ChatStreamTranslator.h"
#include "proxy/http/HttpRequest.h"
#include "proxy/relay/FailoverRelay.h"
#include "proxy/relay/ResponseTransform.h"

namespace Proxy {

/// Answers a chat completions client from the upstream's Responses stream (through a
/// ChatStreamTranslator): `text/event-stream` chunks as they arrive when the client streams, else one
/// `application/json` `chat.completion` once the terminal event is in. The client's answer ends at
/// the terminal event. An upstream head that is not a 2xx event stream (an error the failover relay
/// let through) is passed on unchanged, as for /v1/responses. Lives on the proxy thread, owned by
/// the ResponsesRelay.
class ChatCompletionTransform final : public ResponseTransform
{
public:
    explicit ChatCompletionTransform(ChatStreamTranslator::Options options);

    /// What FailoverRelay needs to serve @p request as translated by @p chat.
    static FailoverRelay::Translation translation(const ChatRequestTranslation &chat, const HttpRequest &request,
                                                  const QString &requestId);

    void begin(HttpExchange &exchange, int upstreamStatus, const HttpHeaders &upstreamHeaders,
               HttpHeaders clientHeaders) override;
    qint64 write(HttpExchange &exchange, const QByteArray &upstreamBytes) override;
    qint64 end(HttpExchange &exchange) override;
    qint64 fail(HttpExchange &exchange, const QString &code, const QString &message) override;
    int clientStatus() const override { return m_status; }

private:
    qint64 deliver(HttpExchange &exchange, const QByteArray &bytes);

    ChatStreamTranslator m_translator;
    bool m_stream;
    bool m_translating = false;
    bool m_ended = false;
    int m_status = 0;
    HttpHeaders m_headers; ///< non-streaming: the head, sent with the completion
};

} // namespace Proxy
