// SPDX-License-Identifier: MIT
#include "proxy/relay/OpenAiSseTransform.h"

#include "proxy/http/HttpExchange.h"

namespace Proxy {

void OpenAiSseTransform::begin(HttpExchange &exchange, int upstreamStatus, const HttpHeaders &upstreamHeaders,
                               HttpHeaders clientHeaders)
{
    m_status = upstreamStatus;
    m_rewriting = upstreamStatus >= 200 && upstreamStatus < 300
                  && upstreamHeaders.value("content-type").startsWith("text/event-stream");
    exchange.beginStream(upstreamStatus, clientHeaders);
}

qint64 OpenAiSseTransform::write(HttpExchange &exchange, const QByteArray &upstreamBytes)
{
    if (m_ended)
        return 0;
    const QByteArray out = m_rewriting ? m_contract.feed(upstreamBytes) : upstreamBytes;
    if (!out.isEmpty())
        exchange.writeChunk(out);
    return out.size();
}

qint64 OpenAiSseTransform::end(HttpExchange &exchange)
{
    if (m_ended)
        return 0;
    m_ended = true;
    exchange.endStream();
    return 0;
}

qint64 OpenAiSseTransform::fail(HttpExchange &exchange, const QString &code, const QString &message)
{
    if (m_ended)
        return 0;
    m_ended = true;
    const QByteArray event = OpenAiSseContract::failure(code, message);
    exchange.writeChunk(event);
    exchange.endStream();
    return event.size();
}

} // namespace Proxy
