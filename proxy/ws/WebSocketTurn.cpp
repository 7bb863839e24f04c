// SPDX-License-Identifier: MIT
#include "proxy/ws/WebSocketTurn.h"

#include "proxy/http/HttpExchange.h"
#include "proxy/relay/UpstreamErrorEnvelope.h"
#include "proxy/ws/WebSocketSession.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

WebSocketTurn::WebSocketTurn(WebSocketSession *session, HttpRequest request, QObject *parent)
    : QObject(parent), m_session(session), m_exchange(new HttpExchange(std::move(request), this, this))
{
    if (HttpExchange *socket = session->exchange())
        connect(socket, &HttpExchange::drained, m_exchange, &HttpExchange::drained);
}

void WebSocketTurn::clientClosed()
{
    if (m_done)
        return;
    m_done = true;
    emit m_exchange->closed();
    emit finished();
    deleteLater();
}

void WebSocketTurn::respond(int status, const HttpHeaders &, const QByteArray &body)
{
    if (status >= 400)
        sendError(status, body);
    else if (m_session)
        m_session->sendText(body);
    finish();
}

void WebSocketTurn::beginStream(int status, const HttpHeaders &)
{
    m_status = status;
}

void WebSocketTurn::writeChunk(const QByteArray &data)
{
    if (m_status >= 400) {
        m_errorBody.append(data.left(64 * 1024 - m_errorBody.size()));
        return;
    }
    m_events.feed(data, [this](QByteArrayView, QByteArrayView event) {
        if (m_session)
            m_session->sendText(event.toByteArray());
    });
}

void WebSocketTurn::endStream()
{
    if (m_status >= 400)
        sendError(m_status, m_errorBody);
    finish();
}

void WebSocketTurn::abort()
{
    if (m_session)
        m_session->close(1011, "upstream failure");
    // Like a connection's abort: the relays hear closed() from the event loop, not inside this call.
    QMetaObject::invokeMethod(m_exchange, [exchange = m_exchange] { emit exchange->closed(); }, Qt::QueuedConnection);
    finish();
}

qint64 WebSocketTurn::pendingBytes() const
{
    return m_session && m_session->exchange() ? m_session->exchange()->pendingBytes() : 0;
}

void WebSocketTurn::sendError(int status, const QByteArray &body)
{
    // Keygate's own refusals and translated upstream ones are envelopes already; anything else still
    // reaches the client with its reason.
    QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error").toObject();
    if (error.isEmpty())
        error = UpstreamErrorEnvelope(status, body).error();
    if (!m_session)
        return;
    const QJsonObject event{{QStringLiteral("type"), QStringLiteral("error")},
                            {QStringLiteral("status"), status},
                            {QStringLiteral("error"), error}};
    m_session->sendText(QJsonDocument(event).toJson(QJsonDocument::Compact));
    if (status >= 500)
        m_session->close(1011, error.value(u"message").toString().toUtf8());
}

void WebSocketTurn::finish()
{
    if (std::exchange(m_done, true))
        return;
    emit finished();
    deleteLater();
}

} // namespace Proxy
