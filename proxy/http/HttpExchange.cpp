// SPDX-License-Identifier: MIT
#include "proxy/http/HttpExchange.h"

#include "proxy/http/HttpConnection.h"

namespace Proxy {

HttpExchange::HttpExchange(HttpRequest request, HttpConnection *connection)
    : QObject(connection)
    , m_request(std::move(request))
    , m_connection(connection)
{
}

HttpExchange::~HttpExchange()
{
    if (m_connection)
        m_connection->exchangeDestroyed(this);
}

void HttpExchange::replaceBody(QByteArray body)
{
    m_request.body = std::move(body);
    m_request.headers.remove("content-encoding");
}

void HttpExchange::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_connection)
        m_connection->respond(this, status, headers, body);
}

void HttpExchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_connection)
        m_connection->beginStream(this, status, headers);
}

void HttpExchange::writeChunk(const QByteArray &data)
{
    if (m_connection)
        m_connection->writeChunk(this, data);
}

void HttpExchange::endStream()
{
    if (m_connection)
        m_connection->endStream(this);
}

void HttpExchange::abort()
{
    if (m_connection)
        m_connection->abortExchange(this);
}

qint64 HttpExchange::pendingBytes() const
{
    return m_connection ? m_connection->pendingBytes() : 0;
}

} // namespace Proxy
