// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ws/WebSocketFrameParser.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Proxy {

class HttpExchange;

/// One upgraded client connection speaking WebSocket (RFC 6455) over an HttpExchange: answers pings,
/// completes the closing handshake, enforces the protocol (a violation closes with 1002/1007/1009,
/// binary messages with 1003), and closes an idle socket — idle meaning no message and no request in
/// flight (setBusy) for the idle timeout. Text messages go to textReceived(). Replies to what the client
/// sends respect backpressure: while the client leaves more than ControlHighWaterBytes unread, pongs
/// are held back and only the latest is sent once it reads (RFC 6455 §5.5.3 allows that), and a reply
/// (sendReply) with more than ReplyLimitBytes unread closes the connection instead of queueing.
/// Lives on the proxy thread, a child of the exchange, so it goes away with the connection.
class WebSocketSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketSession)

public:
    WebSocketSession(HttpExchange *exchange, int idleTimeoutMs, qint64 maxMessageBytes);

    static constexpr qint64 ControlHighWaterBytes = 256 * 1024;
    static constexpr qint64 ReplyLimitBytes = 1024 * 1024;

    void sendText(const QByteArray &utf8);
    /// A text message answering something the client sent (an error event), not a response stream:
    /// refused, and the connection aborted, when the client has not read ReplyLimitBytes.
    void sendReply(const QByteArray &utf8);
    /// Sends a close frame, then closes the connection once it is written.
    void close(quint16 code, const QByteArray &reason = {});
    /// While busy (a request in flight) the socket is never idle.
    void setBusy(bool busy);
    bool isOpen() const { return m_exchange && !m_closeSent; }
    HttpExchange *exchange() const { return m_exchange; }

signals:
    void textReceived(const QByteArray &message);
    /// The connection is gone (either side closed it); emitted once.
    void closed();

private:
    void onData(const QByteArray &data);
    void restartIdleTimer();
    void sendPong(const QByteArray &payload);

    std::optional<QByteArray> m_heldPong; // the latest ping's payload while the client does not read

    QPointer<HttpExchange> m_exchange;
    WebSocketFrameParser m_parser;
    QTimer m_idleTimer;
    bool m_busy = false;
    bool m_closeSent = false;
    bool m_closedEmitted = false;
};

} // namespace Proxy
