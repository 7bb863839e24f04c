// SPDX-License-Identifier: MIT
#include "proxy/relay/UpstreamErrorTransform.h"

#include "proxy/http/HttpExchange.h"
#include "proxy/relay/UpstreamErrorEnvelope.h"

namespace Proxy {

void UpstreamErrorTransform::begin(HttpExchange &, int upstreamStatus, const HttpHeaders &, HttpHeaders clientHeaders)
{
    m_status = upstreamStatus;
    clientHeaders.remove("cache-control");
    clientHeaders.remove("x-accel-buffering");
    m_headers = UpstreamErrorEnvelope::headers(std::move(clientHeaders));
}

qint64 UpstreamErrorTransform::write(HttpExchange &, const QByteArray &upstreamBytes)
{
    m_body.append(upstreamBytes.left(MaxBodyBytes - m_body.size()));
    return 0;
}

qint64 UpstreamErrorTransform::end(HttpExchange &exchange)
{
    if (std::exchange(m_ended, true))
        return 0;
    const QByteArray body = UpstreamErrorEnvelope(m_status, m_body, m_secrets).body();
    exchange.respond(m_status, m_headers, body);
    return body.size();
}

qint64 UpstreamErrorTransform::fail(HttpExchange &exchange, const QString &, const QString &)
{
    return end(exchange); // what arrived of the refusal is still its reason
}

} // namespace Proxy
