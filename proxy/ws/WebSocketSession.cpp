// SPDX-License-Identifier: MIT
#include "proxy/ws/WebSocketSession.h"

#include "proxy/http/HttpExchange.h"

namespace Proxy {

WebSocketSession::WebSocketSession(HttpExchange *exchange, int idleTimeoutMs, qint64 maxMessageBytes)
    : QObject(exchange), m_exchange(exchange), m_parser(maxMessageBytes)
{
    m_idleTimer.setParent(this);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { close(1000, "idle timeout"); });
    connect(exchange, &HttpExchange::upgradedData, this, &WebSocketSession::onData);
    connect(exchange, &HttpExchange::closed, this, [this] {
        m_idleTimer.stop();
        if (!std::exchange(m_closedEmitted, true))
            emit closed();
    });
    connect(exchange, &HttpExchange::drained, this, [this] {
        if (m_heldPong)
            sendPong(*std::exchange(m_heldPong, std::nullopt));
    });
    restartIdleTimer();
}

void WebSocketSession::sendPong(const QByteArray &payload)
{
    if (!isOpen())
        return;
    if (m_exchange->pendingBytes() > ControlHighWaterBytes) {
        m_heldPong = payload; // drained() sends it
        return;
    }
    m_exchange->writeChunk(WebSocketFrame::pong(payload));
}

void WebSocketSession::sendReply(const QByteArray &utf8)
{
    if (!isOpen())
        return;
    if (m_exchange->pendingBytes() > ReplyLimitBytes) {
        // The client sends but does not read: a close frame would queue behind the rest, so hang up.
        m_closeSent = true;
        m_idleTimer.stop();
        m_exchange->abort();
        return;
    }
    sendText(utf8);
}

void WebSocketSession::sendText(const QByteArray &utf8)
{
    if (!isOpen())
        return;
    m_exchange->writeChunk(WebSocketFrame::text(utf8));
}

void WebSocketSession::close(quint16 code, const QByteArray &reason)
{
    if (!isOpen())
        return;
    m_closeSent = true;
    m_idleTimer.stop();
    m_exchange->writeChunk(WebSocketFrame::close(code, reason));
    m_exchange->endStream(); // the front end closes after the frame is written; closed() follows
    if (!std::exchange(m_closedEmitted, true))
        emit closed();
}

void WebSocketSession::setBusy(bool busy)
{
    m_busy = busy;
    restartIdleTimer();
}

void WebSocketSession::restartIdleTimer()
{
    if (m_busy || !isOpen())
        m_idleTimer.stop();
    else
        m_idleTimer.start();
}

void WebSocketSession::onData(const QByteArray &data)
{
    for (const WebSocketEvent &event : m_parser.feed(data)) {
        if (!isOpen())
            return;
        switch (event.kind) {
        case WebSocketEvent::Kind::Text:
            restartIdleTimer();
            emit textReceived(event.payload);
            break;
        case WebSocketEvent::Kind::Binary:
            close(1003, "binary messages are not supported; send JSON text");
            return;
        case WebSocketEvent::Kind::Ping:
            sendPong(event.payload);
            break;
        case WebSocketEvent::Kind::Pong:
            break;
        case WebSocketEvent::Kind::Close:
            // Echo the client's code (RFC 6455 §5.5.1); 1005 means it sent none, which is not sendable.
            close(event.closeCode == 1005 ? 1000 : event.closeCode);
            return;
        case WebSocketEvent::Kind::ProtocolError:
            close(event.closeCode, event.payload);
            return;
        }
    }
}

} // namespace Proxy
