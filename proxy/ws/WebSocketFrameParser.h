// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>

namespace Proxy {

/// One thing a client said on a WebSocket, once its frames are reassembled and checked.
struct WebSocketEvent final
{
    enum class Kind { Text, Binary, Ping, Pong, Close, ProtocolError };
    Kind kind = Kind::Text;
    QByteArray payload;   ///< message, ping/pong data, or the close reason (UTF-8)
    quint16 closeCode = 0; ///< Close: the client's code (1005 when it gave none); ProtocolError: ours to send
};

/// Incremental, strict RFC 6455 §5 parser for frames from a client: client frames must be masked,
/// no extensions (RSV bits 0), control frames unfragmented and ≤ 125 bytes, fragments of one message in
/// order, text valid UTF-8, messages at most `maxMessageBytes`, a close code one a client may send
/// (1000–1003, 1007–1011, 3000–4999; else 1002). A violation yields one ProtocolError
/// with the close code to send (1002, 1007 or 1009); nothing is parsed after it.
class WebSocketFrameParser final
{
public:
    explicit WebSocketFrameParser(qint64 maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) {}

    /// Appends @p data and returns every event it completed, in order.
    QList<WebSocketEvent> feed(const QByteArray &data);
    bool failed() const { return m_failed; }

private:
    /// Parses one frame from the buffer; false when more bytes are needed or after an error.
    bool parseFrame(QList<WebSocketEvent> &events);
    void fail(QList<WebSocketEvent> &events, quint16 code, const char *reason);

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    QByteArray m_message;     // fragments of the data message in progress
    bool m_inMessage = false;
    bool m_messageIsText = false;
    bool m_failed = false;
    qint64 m_maxMessageBytes;
};

/// Server-to-client frames (unmasked, RFC 6455 §5.2).
namespace WebSocketFrame {
QByteArray text(const QByteArray &utf8);
QByteArray pong(const QByteArray &payload);
QByteArray ping(const QByteArray &payload);
/// @p reason is cut to fit the 125-byte control frame limit.
QByteArray close(quint16 code, const QByteArray &reason = {});
} // namespace WebSocketFrame

} // namespace Proxy
