// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Proxy {

/// Incremental HTTP/1.x response parser: status line, header fields, then the body framed by
/// Content-Length, chunked transfer coding (decoded; extensions and trailers ignored) or the end
/// of the connection. 1xx interim responses are skipped. Pure logic, no I/O, any thread.
class HttpResponseParser final
{
public:
    struct Limits final
    {
        qsizetype maxHeadBytes = 64 * 1024; ///< status line + fields + blank line
        int maxFields = 200;
        qsizetype maxChunkLineBytes = 4 * 1024; ///< "<hex size>[;ext]" line
        qsizetype maxTrailerBytes = 64 * 1024;
    };

    enum class State
    {
        Head,
        Body,
        Done,
        Error
    };

    /// @p headRequest: the response to a HEAD request never has a body.
    explicit HttpResponseParser(bool headRequest = false);
    HttpResponseParser(bool headRequest, Limits limits);

    /// Consumes @p data; decoded body bytes are appended to @p body. Bytes after the end of the
    /// message are dropped and make the connection non-reusable.
    void feed(QByteArrayView data, QByteArray *body);
    /// The peer closed the connection: completes a close-delimited body, otherwise an error
    /// unless the message was already complete.
    void finishEof();

    State state() const { return m_state; }
    bool headComplete() const { return m_state == State::Body || m_headDone; }
    bool isDone() const { return m_state == State::Done; }
    bool hasError() const { return m_state == State::Error; }
    /// True when the peer closed before the message was complete (as opposed to a syntax error).
    bool truncated() const { return m_truncated; }
    QString errorString() const { return m_error; }

    int status() const { return m_status; }
    QByteArray reason() const { return m_reason; }
    const HttpHeaders &headers() const { return m_headers; }
    /// The connection may carry another request once the message is done.
    bool keepAlive() const { return m_keepAlive && !m_extraData; }
    bool closeDelimited() const { return m_framing == Framing::UntilClose; }

private:
    enum class Framing
    {
        None,
        Length,
        Chunked,
        UntilClose
    };
    enum class ChunkState
    {
        Size,
        Data,
        DataEnd,
        Trailer
    };

    void parseHeadBuffer(QByteArray *body);
    bool parseHead(QByteArrayView head);
    void consumeBody(QByteArrayView data, QByteArray *body);
    void consumeChunked(QByteArrayView data, QByteArray *body);
    void setError(const QString &message);
    void setDone(qsizetype leftover);

    Limits m_limits;
    bool m_headRequest;
    State m_state = State::Head;
    QByteArray m_buffer; ///< head bytes, or a partial chunk-size / trailer line
    bool m_headDone = false;
    int m_status = 0;
    QByteArray m_reason;
    HttpHeaders m_headers;
    Framing m_framing = Framing::None;
    ChunkState m_chunkState = ChunkState::Size;
    qint64 m_remaining = 0;
    qsizetype m_trailerBytes = 0;
    bool m_keepAlive = false;
    bool m_extraData = false;
    bool m_truncated = false;
    QString m_error;
};

} // namespace Proxy
