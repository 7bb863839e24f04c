// SPDX-License-Identifier: MIT
#include "proxy/ws/WebSocketFrameParser.h"

#include <QUtf8StringView>

namespace Proxy {

namespace {

enum Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

/// A close code a client may send (RFC 6455 §7.4.1/§7.4.2): the defined 1000–1003 and 1007–1011,
/// and the registered/private 3000–4999. 1004–1006 and 1015 are reserved never to be sent; the rest
/// of 0–2999 is unassigned.
bool isSendableCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

bool isValidUtf8(const QByteArray &bytes)
{
    return QUtf8StringView(bytes.constData(), bytes.size()).isValidUtf8();
}

QByteArray frame(quint8 opcode, const QByteArray &payload)
{
    QByteArray out;
    out.reserve(payload.size() + 10);
    out.append(char(0x80 | opcode));
    const qint64 size = payload.size();
    if (size < 126) {
        out.append(char(size));
    } else if (size <= 0xFFFF) {
        out.append(char(126));
        out.append(char(size >> 8)).append(char(size & 0xFF));
    } else {
        out.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((size >> shift) & 0xFF));
    }
    return out.append(payload);
}

} // namespace

QList<WebSocketEvent> WebSocketFrameParser::feed(const QByteArray &data)
{
    QList<WebSocketEvent> events;
    if (m_failed)
        return events;
    m_buffer.append(data);
    while (parseFrame(events)) {
    }
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    return events;
}

void WebSocketFrameParser::fail(QList<WebSocketEvent> &events, quint16 code, const char *reason)
{
    m_failed = true;
    m_buffer.clear();
    m_pos = 0;
    events.append({WebSocketEvent::Kind::ProtocolError, QByteArray(reason), code});
}

bool WebSocketFrameParser::parseFrame(QList<WebSocketEvent> &events)
{
    if (m_failed)
        return false;
    const auto *bytes = reinterpret_cast<const quint8 *>(m_buffer.constData()) + m_pos;
    const qsizetype available = m_buffer.size() - m_pos;
    if (available < 2)
        return false;
    const bool fin = bytes[0] & 0x80;
    const quint8 opcode = bytes[0] & 0x0F;
    if (bytes[0] & 0x70) {
        fail(events, 1002, "reserved bits set without an extension");
        return false;
    }
    if (!(bytes[1] & 0x80)) {
        fail(events, 1002, "client frames must be masked");
        return false;
    }
    qint64 length = bytes[1] & 0x7F;
    qsizetype header = 2;
    if (length == 126) {
        if (available < 4)
            return false;
        length = (qint64(bytes[2]) << 8) | bytes[3];
        header = 4;
    } else if (length == 127) {
        if (available < 10)
            return false;
        if (bytes[2] & 0x80) {
            fail(events, 1002, "frame length out of range");
            return false;
        }
        length = 0;
        for (int i = 2; i < 10; ++i)
            length = (length << 8) | bytes[i];
        header = 10;
    }
    const bool control = opcode >= 0x8;
    if (control && (!fin || length > 125)) {
        fail(events, 1002, "control frames must be whole and at most 125 bytes");
        return false;
    }
    if (!control && opcode > Binary) {
        fail(events, 1002, "unknown opcode");
        return false;
    }
    if (control && opcode != Close && opcode != Ping && opcode != Pong) {
        fail(events, 1002, "unknown opcode");
        return false;
    }
    // Subtract, not add: length may be up to 2^63-1, and m_message.size() + length would overflow.
    if (!control && length > m_maxMessageBytes - m_message.size()) {
        fail(events, 1009, "message too big");
        return false;
    }
    if (available < header + 4 + length)
        return false;
    const quint8 *mask = bytes + header;
    QByteArray payload(reinterpret_cast<const char *>(mask + 4), qsizetype(length));
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(quint8(payload[i]) ^ mask[i % 4]);
    m_pos += header + 4 + length;

    if (control) {
        if (opcode == Ping) {
            events.append({WebSocketEvent::Kind::Ping, payload, 0});
        } else if (opcode == Pong) {
            events.append({WebSocketEvent::Kind::Pong, payload, 0});
        } else {
            if (payload.size() == 1) {
                fail(events, 1002, "close frame with a one-byte body");
                return false;
            }
            quint16 code = 1005;
            QByteArray reason;
            if (payload.size() >= 2) {
                code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
                if (!isSendableCloseCode(code)) {
                    fail(events, 1002, "invalid close code");
                    return false;
                }
                reason = payload.mid(2);
                if (!isValidUtf8(reason)) {
                    fail(events, 1007, "close reason is not UTF-8");
                    return false;
                }
            }
            events.append({WebSocketEvent::Kind::Close, reason, code});
            m_failed = true; // nothing may follow a close
            return false;
        }
        return true;
    }
    if (opcode == Continuation) {
        if (!m_inMessage) {
            fail(events, 1002, "continuation without a message");
            return false;
        }
    } else {
        if (m_inMessage) {
            fail(events, 1002, "new message before the last one ended");
            return false;
        }
        m_inMessage = true;
        m_messageIsText = opcode == Text;
    }
    m_message.append(payload);
    if (!fin)
        return true;
    m_inMessage = false;
    const QByteArray message = std::exchange(m_message, {});
    if (m_messageIsText && !isValidUtf8(message)) {
        fail(events, 1007, "text message is not UTF-8");
        return false;
    }
    events.append({m_messageIsText ? WebSocketEvent::Kind::Text : WebSocketEvent::Kind::Binary, message, 0});
    return true;
}

namespace WebSocketFrame {

QByteArray text(const QByteArray &utf8)
{
    return frame(Text, utf8);
}

QByteArray pong(const QByteArray &payload)
{
    return frame(Pong, payload.left(125));
}

QByteArray ping(const QByteArray &payload)
{
    return frame(Ping, payload.left(125));
}

QByteArray close(quint16 code, const QByteArray &reason)
{
    QByteArray payload;
    payload.append(char(code >> 8)).append(char(code & 0xFF));
    QByteArray cut = reason.left(123);
    while (!cut.isEmpty() && !isValidUtf8(cut)) // never split a UTF-8 sequence
        cut.chop(1);
    return frame(Close, payload + cut);
}

} // namespace WebSocketFrame

} // namespace Proxy
