// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/http/ResponseHead.h"

#include <QByteArray>
#include <QString>

namespace Proxy {

/// The bytes of one HTTP/1.x response as the front end frames it (private to proxy/http): a complete
/// response with Content-Length, or a streamed one, chunked (HTTP/1.1), close-delimited (HTTP/1.0),
/// head-only (HEAD, 204, 304) or a 101 tunnel. Holds the streamed response's mode between the calls;
/// writes nothing itself: each call hands its pieces to @p write. Small bodies and chunks are copied
/// next to their framing so they leave in one write. Plain value class; one per connection.
class ResponseFramer final
{
public:
    enum class Mode { None, Chunked, CloseDelimited, NoBody, Tunnel };

    static constexpr qsizetype InlineBodyBytes = 16 * 1024;

    /// A complete response: the head with Content-Length (unless @p status forbids a body), then
    /// @p body unless @p headRequest. Returns the body bytes written.
    template <typename Write>
    static qint64 complete(int status, const HttpHeaders &headers, bool close, bool headRequest,
                           const QByteArray &body, Write &&write);
    /// The head of a streamed response, and its mode. HTTP/1.0 has no chunked coding, so its body
    /// ends with the connection: @p close is set then.
    QByteArray beginStream(int status, const HttpHeaders &headers, bool &close, bool headRequest, bool http10);
    /// The 101 head of a tunnel (WebSocket); afterwards chunks go out as they are.
    QByteArray beginTunnel(const HttpHeaders &headers);
    /// @p data framed for the mode; returns false (and writes nothing) when the mode carries no body.
    template <typename Write>
    bool chunk(const QByteArray &data, Write &&write) const;
    /// What ends the streamed body: the last chunk for chunked coding, else nothing.
    QByteArray end() const { return m_mode == Mode::Chunked ? QByteArrayLiteral("0\r\n\r\n") : QByteArray(); }

    Mode mode() const { return m_mode; }
    void reset() { m_mode = Mode::None; }

    /// The whole answer to input the front end refuses before any handler saw it: @p status, the
    /// OpenAI envelope, a fresh request id, `Connection: close`.
    static QByteArray refusal(int status, const QString &code, const QString &message);

private:
    static QByteArray fixedHead(int status, const HttpHeaders &headers, bool close, qsizetype bodySize);

    Mode m_mode = Mode::None;
};

template <typename Write>
qint64 ResponseFramer::complete(int status, const HttpHeaders &headers, bool close, bool headRequest,
                                const QByteArray &body, Write &&write)
{
    QByteArray head = fixedHead(status, headers, close, body.size());
    const bool sendBody = !headRequest && !body.isEmpty() && !ResponseHead::bodyForbidden(status);
    if (sendBody && body.size() <= InlineBodyBytes) {
        write(head.append(body));
    } else {
        write(head);
        if (sendBody)
            write(body);
    }
    return sendBody ? body.size() : 0;
}

template <typename Write>
bool ResponseFramer::chunk(const QByteArray &data, Write &&write) const
{
    switch (m_mode) {
    case Mode::Chunked: {
        const QByteArray size = QByteArray::number(data.size(), 16);
        if (data.size() <= InlineBodyBytes) {
            QByteArray frame;
            frame.reserve(size.size() + data.size() + 4);
            write(frame.append(size).append("\r\n").append(data).append("\r\n"));
        } else {
            write(size + QByteArrayLiteral("\r\n"));
            write(data);
            write(QByteArrayLiteral("\r\n"));
        }
        return true;
    }
    case Mode::CloseDelimited:
    case Mode::Tunnel:
        write(data);
        return true;
    case Mode::NoBody:
    case Mode::None:
        break;
    }
    return false;
}

} // namespace Proxy
