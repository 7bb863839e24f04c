// SPDX-License-Identifier: MIT
#include "proxy/http/HttpExchange.h"

#include "proxy/http/ExchangeSink.h"
#include "proxy/http/HttpConnection.h"

#include <QPointer>

namespace Proxy {

HttpExchange::HttpExchange(HttpRequest request, HttpConnection *connection)
    : QObject(connection)
    , m_request(std::move(request))
    , m_connection(connection)
{
}

HttpExchange::HttpExchange(HttpRequest request, ExchangeSink *sink, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_connection(nullptr)
    , m_sink(sink)
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

bool HttpExchange::held(HeldWrite write)
{
    if (!m_holding)
        return false;
    m_held.append(std::move(write));
    return true;
}

void HttpExchange::releaseOutput()
{
    if (!m_holding)
        return;
    m_holding = false;
    const QList<HeldWrite> writes = std::exchange(m_held, {});
    QPointer<HttpExchange> self(this); // a write may end the connection, and this exchange with it
    for (const HeldWrite &write : writes) {
        if (!self)
            return;
        switch (write.kind) {
        case HeldWrite::Kind::Respond:
            respond(write.status, write.headers, write.data);
            break;
        case HeldWrite::Kind::Chunk:
            writeChunk(write.data);
            break;
        case HeldWrite::Kind::End:
            endStream();
            break;
        case HeldWrite::Kind::Abort:
            abort();
            break;
        }
    }
}

void HttpExchange::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (held({HeldWrite::Kind::Respond, body, status, headers}))
        return;
    if (m_sink && !m_started) {
        m_started = m_finished = true;
        m_bytesOut += body.size();
        m_sink->respond(status, headers, body);
    } else if (m_connection) {
        m_connection->respond(this, status, headers, body);
    }
}

void HttpExchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_sink && !m_started) {
        m_started = true;
        m_sink->beginStream(status, headers);
    } else if (m_connection) {
        m_connection->beginStream(this, status, headers);
    }
}

void HttpExchange::writeChunk(const QByteArray &data)
{
    if (held({HeldWrite::Kind::Chunk, data, 0, {}}))
        return;
    if (m_sink && m_started && !m_finished && !data.isEmpty()) {
        m_bytesOut += data.size();
        m_sink->writeChunk(data);
    } else if (m_connection) {
        m_connection->writeChunk(this, data);
    }
}

void HttpExchange::endStream()
{
    if (held({HeldWrite::Kind::End, {}, 0, {}}))
        return;
    if (m_sink && m_started && !m_finished) {
        m_finished = true;
        m_sink->endStream();
    } else if (m_connection) {
        m_connection->endStream(this);
    }
}

void HttpExchange::upgrade(const HttpHeaders &headers)
{
    if (m_connection)
        m_connection->beginTunnel(this, headers);
}

void HttpExchange::abort()
{
    if (held({HeldWrite::Kind::Abort, {}, 0, {}}))
        return;
    if (m_sink && !m_finished) {
        m_finished = true;
        m_sink->abort();
    } else if (m_connection) {
        m_connection->abortExchange(this);
    }
}

qint64 HttpExchange::pendingBytes() const
{
    if (m_sink)
        return m_sink->pendingBytes();
    return m_connection ? m_connection->pendingBytes() : 0;
}

} // namespace Proxy
