// SPDX-License-Identifier: MIT
#include "proxy/upstream/HttpResponseParser.h"

#include "proxy/http/HttpSyntax.h"

#include <QList>

namespace Proxy {

namespace {

/// Index just past the blank line that ends a head ("\r\n\r\n" or a lenient "\n\n"), or -1.
qsizetype headEnd(const QByteArray &buffer, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 0); i < buffer.size(); ++i) {
        if (buffer.at(i) != '\n')
            continue;
        if (i + 1 < buffer.size() && buffer.at(i + 1) == '\n')
            return i + 2;
        if (i + 2 < buffer.size() && buffer.at(i + 1) == '\r' && buffer.at(i + 2) == '\n')
            return i + 3;
    }
    return -1;
}

QByteArrayView stripCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace

HttpResponseParser::HttpResponseParser(bool headRequest) : HttpResponseParser(headRequest, Limits{}) {}

HttpResponseParser::HttpResponseParser(bool headRequest, Limits limits)
    : m_limits(limits), m_headRequest(headRequest)
{}

void HttpResponseParser::feed(QByteArrayView data, QByteArray *body)
{
    if (data.isEmpty())
        return;
    switch (m_state) {
    case State::Error:
        return;
    case State::Done:
        m_extraData = true;
        return;
    case State::Head: {
        const qsizetype scanFrom = m_buffer.size() - 2;
        m_buffer.append(data.data(), data.size());
        if (headEnd(m_buffer, scanFrom) < 0) {
            if (m_buffer.size() > m_limits.maxHeadBytes)
                setError(QStringLiteral("response head exceeds %1 bytes").arg(m_limits.maxHeadBytes));
            return;
        }
        parseHeadBuffer(body);
        return;
    }
    case State::Body:
        consumeBody(data, body);
        return;
    }
}

void HttpResponseParser::parseHeadBuffer(QByteArray *body)
{
    // Loops over 1xx interim responses that arrived in the same read.
    while (m_state == State::Head) {
        const qsizetype end = headEnd(m_buffer, 0);
        if (end < 0) {
            if (m_buffer.size() > m_limits.maxHeadBytes)
                setError(QStringLiteral("response head exceeds %1 bytes").arg(m_limits.maxHeadBytes));
            return;
        }
        if (end > m_limits.maxHeadBytes) {
            setError(QStringLiteral("response head exceeds %1 bytes").arg(m_limits.maxHeadBytes));
            return;
        }
        const QByteArray rest = m_buffer.mid(end);
        if (!parseHead(QByteArrayView(m_buffer).first(end)))
            return;
        m_buffer = rest;
        if (m_status >= 100 && m_status < 200) {
            // Interim response (100 Continue, 103 Early Hints): skip it, a final one follows.
            m_headers = HttpHeaders();
            continue;
        }
        m_headDone = true;
        const QByteArray leftover = std::exchange(m_buffer, QByteArray());
        if (m_framing == Framing::None) {
            setDone(leftover.size());
            return;
        }
        m_state = State::Body;
        if (m_framing == Framing::Length && m_remaining == 0) {
            setDone(leftover.size());
            return;
        }
        consumeBody(leftover, body);
        return;
    }
}

bool HttpResponseParser::parseHead(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head.at(i) == '\n') {
            lines.append(stripCr(head.sliced(start, i - start)));
            start = i + 1;
        }
    }
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty()) {
        setError(QStringLiteral("empty response head"));
        return false;
    }

    // Status line: HTTP/1.x SP 3DIGIT [SP reason]
    const QByteArrayView statusLine = lines.constFirst();
    if (statusLine.size() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.at(8) != ' ') {
        setError(QStringLiteral("malformed status line"));
        return false;
    }
    const char minor = statusLine.at(7);
    if (minor != '0' && minor != '1') {
        setError(QStringLiteral("unsupported HTTP version"));
        return false;
    }
    const QByteArrayView code = statusLine.sliced(9, 3);
    for (char c : code) {
        if (c < '0' || c > '9') {
            setError(QStringLiteral("malformed status code"));
            return false;
        }
    }
    if (statusLine.size() > 12 && statusLine.at(12) != ' ') {
        setError(QStringLiteral("malformed status line"));
        return false;
    }
    m_status = code.toInt();
    m_reason = statusLine.size() > 13 ? statusLine.sliced(13).toByteArray() : QByteArray();
    if (m_status < 100) {
        setError(QStringLiteral("invalid status code %1").arg(m_status));
        return false;
    }
    if (m_status == 101) {
        setError(QStringLiteral("unexpected protocol switch (101)"));
        return false;
    }

    HttpHeaders headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines.at(i);
        if (line.startsWith(' ') || line.startsWith('\t')) {
            setError(QStringLiteral("obsolete header line folding"));
            return false;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            setError(QStringLiteral("malformed header field"));
            return false;
        }
        const QByteArrayView name = line.first(colon);
        if (!HttpSyntax::isToken(name)) {
            setError(QStringLiteral("malformed header field name"));
            return false;
        }
        if (headers.size() >= m_limits.maxFields) {
            setError(QStringLiteral("more than %1 response header fields").arg(m_limits.maxFields));
            return false;
        }
        headers.append(name.toByteArray(), line.sliced(colon + 1).trimmed().toByteArray());
    }
    m_headers = headers;
    if (m_status < 200)
        return true;

    // Persistence (RFC 9112 §9.3).
    m_keepAlive = minor == '1' ? !HttpSyntax::listContains(m_headers, "connection", "close")
                               : HttpSyntax::listContains(m_headers, "connection", "keep-alive");

    // Framing (RFC 9112 §6.3).
    if (m_headRequest || m_status == 204 || m_status == 304) {
        m_framing = Framing::None;
        return true;
    }
    const QList<QByteArray> transferEncoding = m_headers.values("Transfer-Encoding");
    if (!transferEncoding.isEmpty()) {
        const QList<QByteArray> codings = transferEncoding.constLast().split(',');
        if (codings.constLast().trimmed().compare("chunked", Qt::CaseInsensitive) == 0) {
            m_framing = Framing::Chunked;
            m_chunkState = ChunkState::Size;
        } else {
            m_framing = Framing::UntilClose;
            m_keepAlive = false;
        }
        if (m_headers.contains("Content-Length"))
            m_keepAlive = false; // both present: possible smuggling attempt, never reuse
        return true;
    }
    const QList<QByteArray> lengths = m_headers.values("Content-Length");
    if (!lengths.isEmpty()) {
        qint64 length = -1;
        for (const QByteArray &value : lengths) {
            for (const QByteArray &part : value.split(',')) {
                const QByteArray digits = part.trimmed();
                bool ok = !digits.isEmpty() && digits.size() <= 18;
                for (char c : digits)
                    ok = ok && c >= '0' && c <= '9';
                const qint64 n = ok ? digits.toLongLong(&ok) : -1;
                if (!ok || (length >= 0 && n != length)) {
                    setError(QStringLiteral("invalid Content-Length"));
                    return false;
                }
                length = n;
            }
        }
        m_framing = Framing::Length;
        m_remaining = length;
        return true;
    }
    m_framing = Framing::UntilClose;
    m_keepAlive = false;
    return true;
}

void HttpResponseParser::consumeBody(QByteArrayView data, QByteArray *body)
{
    switch (m_framing) {
    case Framing::UntilClose:
        body->append(data.data(), data.size());
        return;
    case Framing::Length: {
        const qint64 take = qMin<qint64>(m_remaining, data.size());
        body->append(data.data(), take);
        m_remaining -= take;
        if (m_remaining == 0)
            setDone(data.size() - take);
        return;
    }
    case Framing::Chunked:
        consumeChunked(data, body);
        return;
    case Framing::None:
        setDone(data.size());
        return;
    }
}

void HttpResponseParser::consumeChunked(QByteArrayView data, QByteArray *body)
{
    qsizetype pos = 0;
    while (pos < data.size() && m_state == State::Body) {
        switch (m_chunkState) {
        case ChunkState::Size:
        case ChunkState::Trailer: {
            const qsizetype nl = data.indexOf('\n', pos);
            const qsizetype end = nl < 0 ? data.size() : nl;
            m_buffer.append(data.data() + pos, end - pos);
            pos = end;
            const bool trailer = m_chunkState == ChunkState::Trailer;
            if (!trailer && m_buffer.size() > m_limits.maxChunkLineBytes) {
                setError(QStringLiteral("chunk size line too long"));
                return;
            }
            if (trailer && m_trailerBytes + m_buffer.size() > m_limits.maxTrailerBytes) {
                setError(QStringLiteral("chunked trailer section too long"));
                return;
            }
            if (nl < 0)
                return; // need the rest of the line
            ++pos;      // the '\n'
            const QByteArray line = std::exchange(m_buffer, QByteArray());
            const QByteArrayView content = stripCr(line);
            if (trailer) {
                m_trailerBytes += line.size() + 1;
                if (content.isEmpty())
                    setDone(data.size() - pos);
                continue; // trailer fields are ignored
            }
            qsizetype sizeEnd = content.indexOf(';');
            QByteArrayView hex = (sizeEnd < 0 ? content : content.first(sizeEnd)).trimmed();
            bool ok = !hex.isEmpty() && hex.size() <= 15;
            for (char c : hex)
                ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
            const qint64 size = ok ? hex.toLongLong(&ok, 16) : -1;
            if (!ok || size < 0) {
                setError(QStringLiteral("malformed chunk size"));
                return;
            }
            if (size == 0) {
                m_chunkState = ChunkState::Trailer;
                m_trailerBytes = 0;
            } else {
                m_chunkState = ChunkState::Data;
                m_remaining = size;
            }
            break;
        }
        case ChunkState::Data: {
            const qint64 take = qMin<qint64>(m_remaining, data.size() - pos);
            body->append(data.data() + pos, take);
            pos += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_chunkState = ChunkState::DataEnd;
                m_buffer.clear();
            }
            break;
        }
        case ChunkState::DataEnd: {
            // Expect CRLF (a bare LF is tolerated).
            const char c = data.at(pos++);
            if (c == '\r' && m_buffer.isEmpty()) {
                m_buffer.append(c);
            } else if (c == '\n') {
                m_buffer.clear();
                m_chunkState = ChunkState::Size;
            } else {
                setError(QStringLiteral("missing CRLF after chunk data"));
                return;
            }
            break;
        }
        }
    }
}

void HttpResponseParser::finishEof()
{
    if (m_state == State::Done || m_state == State::Error)
        return;
    if (m_state == State::Body && m_framing == Framing::UntilClose) {
        m_keepAlive = false;
        setDone(0);
        return;
    }
    m_truncated = true;
    setError(m_state == State::Head
                 ? QStringLiteral("connection closed before the response head")
                 : QStringLiteral("connection closed before the response body was complete"));
}

void HttpResponseParser::setError(const QString &message)
{
    m_state = State::Error;
    m_error = message;
    m_buffer.clear();
}

void HttpResponseParser::setDone(qsizetype leftover)
{
    m_state = State::Done;
    m_buffer.clear();
    if (leftover > 0)
        m_extraData = true;
}

} // namespace Proxy
