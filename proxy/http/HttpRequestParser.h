// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Proxy {

/// Incremental, socket-free HTTP/1.x request parser (RFC 9112, strict). Feed bytes with append(),
/// then call parse() until it returns NeedMore or Error; each Complete hands one request out
/// through takeRequest(). Several pipelined requests in one buffer come out one by one.
///
/// Policy (documented choices):
///  - Line endings must be CRLF. A bare LF or a bare CR anywhere in the head → 400.
///    Empty lines (CRLF) before a request line are skipped (RFC 9112 §2.2).
///  - request-target (RequestTarget): origin-form ("/..."), "*" for OPTIONS only, or absolute-form
///    with an http/https scheme and a valid authority, reduced to its path and query
///    ("http://h/a?b" → "/a?b"). Authority-form (CONNECT) and fragments → 400.
///  - Versions HTTP/1.0 and HTTP/1.1 only; another well-formed HTTP/x.y → 505; malformed → 400.
///  - Header names are tokens with no whitespace before ':'; obs-fold (line starting SP/HT) → 400;
///    values are trimmed of SP/HT and must not contain CTLs other than HT.
///  - Content-Length: digits only; duplicates must agree (else 400); above maxBodyBytes → 413,
///    decided from the head before any body byte is read.
///  - Transfer-Encoding: "chunked" request bodies are decoded (same maxBodyBytes limit → 413;
///    chunk extensions ignored; trailers parsed and discarded; a declared chunk size reserves nothing,
///    the framing is capped at MaxChunkFramingBytes → 400). Any other coding → 501;
///    "chunked" twice → 400; Transfer-Encoding with Content-Length → 400; on HTTP/1.0 → 400.
///    (411 is therefore never produced: a body without framing is simply an empty body.)
///  - HTTP/1.1 without Host, or more than one Host → 400. A Host value that is not a valid
///    `uri-host [":" port]` (HostHeader; an empty one included, on HTTP/1.0 too) → 400 `invalid_host`.
///  - Limits: head bytes (request line + fields) > maxHeaderBytes → 431, field count >
///    maxHeaderCount → 431. Bad input is detected as early as possible (a first byte that cannot
///    start a method, e.g. a TLS ClientHello, fails at once).
class HttpRequestParser final
{
public:
    enum class Status { NeedMore, Complete, Error };

    /// Chunk-size lines and chunk CRLFs of one body, at most: beyond, 400 (tiny chunks would
    /// otherwise cost far more input than the body limit says).
    static constexpr qint64 MaxChunkFramingBytes = 1024 * 1024;

    explicit HttpRequestParser(const HttpLimits &limits = {});

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }

    void append(const QByteArray &data);
    void append(QByteArrayView data);

    /// Advances as far as the buffered bytes allow.
    Status parse();
    /// The completed request; resets the parser for the next one (buffered bytes are kept).
    HttpRequest takeRequest();

    /// A request has begun: at least one byte of it (other than leading empty lines) is buffered.
    bool hasPartialRequest() const;
    /// Bytes buffered but not consumed yet (includes leading empty lines).
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }
    /// Hands over the bytes buffered after the last request (e.g. once the connection was upgraded).
    QByteArray takeBuffered()
    {
        QByteArray rest = m_buffer.mid(m_pos);
        m_buffer.clear();
        m_pos = 0;
        return rest;
    }
    /// The head of the current request was parsed and is valid; its body may still be missing.
    bool headComplete() const { return m_state == State::Body || m_state == State::ChunkSize
                                       || m_state == State::ChunkData || m_state == State::ChunkDataEnd
                                       || m_state == State::Trailers || m_state == State::Done; }
    /// The current request as far as it is parsed: after headComplete(), its method, target and
    /// headers (the body may still be arriving).
    const HttpRequest &head() const { return m_request; }
    /// The current (complete-head) request carries "Expect: 100-continue".
    bool expectsContinue() const { return m_expectContinue; }
    /// Whether the current (complete-head) request allows keeping the connection open.
    bool keepAlive() const { return m_keepAlive; }
    /// Bytes held for the request in progress: the buffer's and the body's allocations.
    qsizetype heldBytes() const { return m_buffer.capacity() + m_request.body.capacity(); }
    /// Declared Content-Length of the current request, or -1 (none / chunked).
    qint64 contentLength() const { return m_contentLength; }

    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }
    /// Short machine code for the error envelope, e.g. "bad_request".
    QString errorCode() const { return m_errorCode; }

private:
    enum class State { RequestLine, Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done, Error };

    Status fail(int status, const char *code, const char *message);
    Status parseRequestLine(QByteArrayView line);
    Status parseHeaderLine(QByteArrayView line);
    Status finishHead();
    Status parseChunkSize(QByteArrayView line);
    Status parseTrailerLine(QByteArrayView line);
    /// Finds the next CRLF-terminated line starting at m_pos. Returns false when more bytes are
    /// needed; sets *error when the line is invalid (bare LF) or too long.
    bool nextLine(QByteArrayView *line, qint64 limit, Status *error);
    /// nextLine() within the head budget; counts the line against it (431 beyond).
    bool nextHeadLine(QByteArrayView *line, Status *error);
    void compact();
    /// Drops the consumed front of the buffer once it is CompactAfterBytes long.
    void dropConsumed();

    HttpLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0;     ///< first unconsumed byte
    qsizetype m_scanPos = 0; ///< where the search for the next LF resumes
    State m_state = State::RequestLine;

    HttpRequest m_request;
    qint64 m_headBytes = 0;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0;   ///< body bytes (or current chunk bytes) still to read
    qint64 m_trailerBytes = 0;
    qint64 m_framingBytes = 0; ///< chunk-size lines (extensions included) and chunk CRLFs so far
    int m_trailerCount = 0;
    bool m_chunked = false;
    bool m_teSeen = false;
    bool m_expectContinue = false;
    bool m_keepAlive = true;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    int m_hostCount = 0;

    int m_errorStatus = 0;
    QString m_errorCode;
    QString m_errorMessage;
};

} // namespace Proxy
