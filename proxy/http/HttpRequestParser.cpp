// SPDX-License-Identifier: MIT
#include "proxy/http/HttpRequestParser.h"

#include "proxy/http/HostHeader.h"
#include "proxy/http/HttpSyntax.h"
#include "proxy/http/RequestTarget.h"

#include <cstring>
#include <limits>

namespace Proxy {

namespace {

constexpr qsizetype MaxMethodLength = 64;
constexpr qsizetype MaxChunkLineLength = 4096;
/// Consumed bytes are dropped from the buffer's front once there are this many (a chunked body no longer
/// keeps its framing, nor a long body its head, while the rest arrives).
constexpr qsizetype CompactAfterBytes = 64 * 1024;
constexpr int MaxContentLengthDigits = 18; // fits qint64; anything longer is over every limit

// field-vchar / SP / HTAB; obs-text (0x80-0xFF) is allowed as opaque data.
bool isFieldValue(QByteArrayView s)
{
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

using HttpSyntax::forEachListElement;
using HttpSyntax::isToken;
using HttpSyntax::isTokenChar;
using HttpSyntax::trimOws;

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
{
}

void HttpRequestParser::append(const QByteArray &data)
{
    if (m_state == State::Error || data.isEmpty())
        return;
    if (m_pos == m_buffer.size()) {
        m_buffer = data; // shares the socket's buffer: no copy in the common case
        m_pos = 0;
        m_scanPos = 0;
        return;
    }
    dropConsumed();
    m_buffer.append(data);
}

void HttpRequestParser::append(QByteArrayView data)
{
    if (m_state == State::Error || data.isEmpty())
        return;
    dropConsumed();
    m_buffer.append(data);
}

void HttpRequestParser::dropConsumed()
{
    if (m_pos >= CompactAfterBytes)
        compact();
}

bool HttpRequestParser::hasPartialRequest() const
{
    return m_state != State::RequestLine || m_pos < m_buffer.size();
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char *code, const char *message)
{
    m_state = State::Error;
    m_errorStatus = status;
    m_errorCode = QString::fromLatin1(code);
    m_errorMessage = QString::fromLatin1(message);
    m_buffer.clear();
    m_pos = 0;
    m_scanPos = 0;
    return Status::Error;
}

bool HttpRequestParser::nextLine(QByteArrayView *line, qint64 limit, Status *error)
{
    const char *data = m_buffer.constData();
    const qsizetype end = m_buffer.size();
    const void *lf = m_scanPos < end ? std::memchr(data + m_scanPos, '\n', size_t(end - m_scanPos)) : nullptr;
    const qsizetype at = lf ? static_cast<const char *>(lf) - data : end;
    if (at - m_pos > limit) { // whether the LF came yet or not: every split of the input gets the same answer
        *error = m_state == State::ChunkSize
                     ? fail(400, "bad_request", "Chunk size line too long")
                     : fail(431, "request_header_fields_too_large", "Request header fields too large");
        return false;
    }
    if (!lf) {
        m_scanPos = end;
        return false;
    }
    if (at == m_pos || data[at - 1] != '\r') {
        *error = fail(400, "bad_request", "Bare LF line ending; CRLF is required");
        return false;
    }
    *line = QByteArrayView(data + m_pos, at - 1 - m_pos);
    m_pos = at + 1;
    m_scanPos = m_pos;
    return true;
}

bool HttpRequestParser::nextHeadLine(QByteArrayView *line, Status *error)
{
    if (!nextLine(line, m_limits.maxHeaderBytes - m_headBytes, error))
        return false;
    m_headBytes += line->size() + 2;
    if (m_headBytes > m_limits.maxHeaderBytes) {
        *error = fail(431, "request_header_fields_too_large", "Request header fields too large");
        return false;
    }
    return true;
}

HttpRequestParser::Status HttpRequestParser::parse()
{
    Status error = Status::NeedMore;
    for (;;) {
        switch (m_state) {
        case State::Error:
            return Status::Error;
        case State::Done:
            return Status::Complete;

        case State::RequestLine: {
            // Skip empty lines before the request line (RFC 9112 §2.2).
            while (m_buffer.size() - m_pos >= 2 && m_buffer[m_pos] == '\r' && m_buffer[m_pos + 1] == '\n')
                m_pos += 2;
            if (m_scanPos < m_pos)
                m_scanPos = m_pos;
            const qsizetype avail = m_buffer.size() - m_pos;
            if (avail == 0 || (avail == 1 && m_buffer[m_pos] == '\r'))
                return Status::NeedMore;
            // Fail fast on anything that cannot be a method (TLS ClientHello, binary junk).
            {
                const char *p = m_buffer.constData() + m_pos;
                const qsizetype n = qMin(avail, MaxMethodLength + 1);
                qsizetype i = 0;
                while (i < n && p[i] != ' ') {
                    if (!isTokenChar(static_cast<unsigned char>(p[i])))
                        return fail(400, "bad_request", "Malformed request line");
                    ++i;
                }
                if (i == 0)
                    return fail(400, "bad_request", "Malformed request line");
                if (i > MaxMethodLength)
                    return fail(400, "bad_request", "Request method too long");
            }
            QByteArrayView line;
            if (!nextHeadLine(&line, &error))
                return error;
            if (const Status s = parseRequestLine(line); s != Status::NeedMore)
                return s;
            m_state = State::Headers;
            break;
        }

        case State::Headers: {
            QByteArrayView line;
            if (!nextHeadLine(&line, &error))
                return error;
            if (line.isEmpty()) {
                if (const Status s = finishHead(); s != Status::NeedMore)
                    return s;
                break;
            }
            if (const Status s = parseHeaderLine(line); s != Status::NeedMore)
                return s;
            break;
        }

        case State::Body: {
            if (m_buffer.size() - m_pos < m_remaining)
                return Status::NeedMore;
            m_request.body = m_buffer.mid(m_pos, m_remaining);
            m_pos += m_remaining;
            m_scanPos = m_pos;
            m_remaining = 0;
            m_state = State::Done;
            break;
        }

        case State::ChunkSize: {
            QByteArrayView line;
            if (!nextLine(&line, MaxChunkLineLength, &error))
                return error;
            if ((m_framingBytes += line.size() + 2) > MaxChunkFramingBytes)
                return fail(400, "chunk_framing_too_large", "Too many chunks: the chunked framing exceeds 1 MiB");
            if (const Status s = parseChunkSize(line); s != Status::NeedMore)
                return s;
            break;
        }

        case State::ChunkData: {
            const qsizetype take = qMin<qint64>(m_remaining, m_buffer.size() - m_pos);
            if (take == 0)
                return Status::NeedMore;
            m_request.body.append(m_buffer.constData() + m_pos, take);
            m_pos += take;
            m_scanPos = m_pos;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        }

        case State::ChunkDataEnd: {
            if (m_buffer.size() - m_pos < 2)
                return Status::NeedMore;
            if (m_buffer[m_pos] != '\r' || m_buffer[m_pos + 1] != '\n')
                return fail(400, "bad_request", "Chunk data not followed by CRLF");
            m_pos += 2;
            m_scanPos = m_pos;
            m_framingBytes += 2;
            m_state = State::ChunkSize;
            break;
        }

        case State::Trailers: {
            QByteArrayView line;
            if (!nextLine(&line, m_limits.maxHeaderBytes - m_trailerBytes, &error))
                return error;
            if (line.isEmpty()) {
                m_state = State::Done;
                break;
            }
            if (const Status s = parseTrailerLine(line); s != Status::NeedMore)
                return s;
            break;
        }
        }
    }
}

HttpRequestParser::Status HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype sp1 = line.indexOf(' ');
    if (sp1 <= 0)
        return fail(400, "bad_request", "Malformed request line");
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView rest = line.sliced(sp1 + 1);
    const qsizetype sp2 = rest.indexOf(' ');
    if (sp2 <= 0)
        return fail(400, "bad_request", "Malformed request line");
    const QByteArrayView target = rest.first(sp2);
    const QByteArrayView version = rest.sliced(sp2 + 1);

    if (!isToken(method))
        return fail(400, "bad_request", "Invalid request method");

    // HTTP-version = "HTTP/" DIGIT "." DIGIT
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.'
        || version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
        return fail(400, "bad_request", "Malformed HTTP version");
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
        return fail(505, "http_version_not_supported", "HTTP version not supported");

    RequestTarget parsed = RequestTarget::parse(method, target);
    if (parsed.error)
        return fail(400, "bad_request", parsed.error);
    m_request.method = method.toByteArray();
    m_request.target = std::move(parsed.target);
    m_request.path = std::move(parsed.path);
    m_request.query = std::move(parsed.query);
    m_request.versionMinor = version[7] - '0';
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    if (line[0] == ' ' || line[0] == '\t')
        return fail(400, "bad_request", "Obsolete line folding or whitespace before a header field");
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return fail(400, "bad_request", "Header line without colon");
    const QByteArrayView name = line.first(colon);
    if (!isToken(name))
        return fail(400, "bad_request", "Invalid header field name");
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (!isFieldValue(value))
        return fail(400, "bad_request", "Invalid character in header field value");
    if (m_request.headers.size() >= m_limits.maxHeaderCount)
        return fail(431, "request_header_fields_too_large", "Too many request header fields");

    switch (name.size()) {
    case 4:
        if (HttpHeaders::sameName(name, "host")) {
            ++m_hostCount;
            if (const HostHeader host = HostHeader::parse(value); !host.isValid())
                return fail(400, "invalid_host", host.errorMessage());
        }
        break;
    case 6:
        if (HttpHeaders::sameName(name, "expect") && HttpHeaders::sameName(value, "100-continue"))
            m_expectContinue = true;
        break;
    case 10:
        if (HttpHeaders::sameName(name, "connection")) {
            forEachListElement(value, [this](QByteArrayView option) {
                if (HttpHeaders::sameName(option, "close"))
                    m_connectionClose = true;
                else if (HttpHeaders::sameName(option, "keep-alive"))
                    m_connectionKeepAlive = true;
            });
        }
        break;
    case 14:
        if (HttpHeaders::sameName(name, "content-length")) {
            if (value.isEmpty())
                return fail(400, "bad_request", "Invalid Content-Length");
            qint64 length = 0;
            for (const char c : value) {
                if (c < '0' || c > '9')
                    return fail(400, "bad_request", "Invalid Content-Length");
            }
            const QByteArrayView digits = [&] {
                qsizetype i = 0;
                while (i < value.size() - 1 && value[i] == '0')
                    ++i;
                return value.sliced(i);
            }();
            if (digits.size() > MaxContentLengthDigits) {
                length = std::numeric_limits<qint64>::max();
            } else {
                for (const char c : digits)
                    length = length * 10 + (c - '0');
            }
            if (m_contentLength >= 0 && m_contentLength != length)
                return fail(400, "bad_request", "Conflicting Content-Length fields");
            m_contentLength = length;
        }
        break;
    case 17:
        if (HttpHeaders::sameName(name, "transfer-encoding")) {
            bool bad = false;
            bool unsupported = false;
            bool sawAny = false;
            forEachListElement(value, [&](QByteArrayView coding) {
                sawAny = true;
                if (HttpHeaders::sameName(coding, "chunked")) {
                    if (m_chunked)
                        bad = true; // chunked applied twice
                    m_chunked = true;
                } else {
                    unsupported = true;
                }
            });
            if (!sawAny || bad)
                return fail(400, "bad_request", "Invalid Transfer-Encoding");
            if (unsupported)
                return fail(501, "unsupported_transfer_encoding", "Transfer-Encoding not implemented");
            m_teSeen = true;
        }
        break;
    default:
        break;
    }

    m_request.headers.append(name.toByteArray(), value.toByteArray());
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::finishHead()
{
    if (m_hostCount > 1)
        return fail(400, "bad_request", "More than one Host header field");
    if (m_request.versionMinor == 1 && m_hostCount == 0)
        return fail(400, "bad_request", "Missing Host header field");
    if (m_teSeen) {
        if (m_contentLength >= 0)
            return fail(400, "bad_request", "Content-Length together with Transfer-Encoding");
        if (m_request.versionMinor == 0)
            return fail(400, "bad_request", "Transfer-Encoding in an HTTP/1.0 request");
    }
    if (m_contentLength > m_limits.maxBodyBytes)
        return fail(413, "request_too_large", "Request body too large");

    if (m_request.versionMinor == 0)
        m_expectContinue = false; // RFC 9110 §10.1.1: ignore 100-continue from HTTP/1.0
    m_keepAlive = !m_connectionClose && (m_request.versionMinor == 1 || m_connectionKeepAlive);

    if (m_chunked) {
        m_state = State::ChunkSize;
    } else if (m_contentLength > 0) {
        m_remaining = m_contentLength;
        m_state = State::Body;
    } else {
        m_expectContinue = false; // nothing to wait for
        m_state = State::Done;
    }
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseChunkSize(QByteArrayView line)
{
    qsizetype i = 0;
    qint64 size = 0;
    while (i < line.size()) {
        const int v = hexValue(line[i]);
        if (v < 0)
            break;
        if (size > (std::numeric_limits<qint64>::max() >> 4))
            return fail(413, "request_too_large", "Request body too large");
        size = (size << 4) | v;
        ++i;
    }
    if (i == 0)
        return fail(400, "bad_request", "Invalid chunk size");
    if (i < line.size()) {
        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): accepted, ignored
        QByteArrayView ext = line.sliced(i);
        qsizetype j = 0;
        while (j < ext.size() && (ext[j] == ' ' || ext[j] == '\t'))
            ++j;
        if (j == ext.size() || ext[j] != ';' || !isFieldValue(ext))
            return fail(400, "bad_request", "Invalid chunk extension");
    }
    if (size > m_limits.maxBodyBytes - m_request.body.size())
        return fail(413, "request_too_large", "Request body too large");
    if (size == 0) {
        m_state = State::Trailers;
    } else {
        m_remaining = size; // the body grows as its bytes arrive: a declared size reserves nothing
        m_state = State::ChunkData;
    }
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseTrailerLine(QByteArrayView line)
{
    m_trailerBytes += line.size() + 2;
    if (m_trailerBytes > m_limits.maxHeaderBytes || ++m_trailerCount > m_limits.maxHeaderCount)
        return fail(431, "request_header_fields_too_large", "Request trailer fields too large");
    if (line[0] == ' ' || line[0] == '\t')
        return fail(400, "bad_request", "Obsolete line folding in trailer");
    const qsizetype colon = line.indexOf(':');
    if (colon < 0 || !isToken(line.first(colon)) || !isFieldValue(line.sliced(colon + 1)))
        return fail(400, "bad_request", "Invalid trailer field");
    return Status::NeedMore; // trailers are discarded
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest{};
    m_state = State::RequestLine;
    m_headBytes = 0;
    m_contentLength = -1;
    m_remaining = 0;
    m_trailerBytes = 0;
    m_trailerCount = 0;
    m_framingBytes = 0;
    m_chunked = false;
    m_teSeen = false;
    m_expectContinue = false;
    m_keepAlive = true;
    m_connectionClose = false;
    m_connectionKeepAlive = false;
    m_hostCount = 0;
    compact();
    return request;
}

void HttpRequestParser::compact()
{
    if (m_pos >= m_buffer.size())
        m_buffer.clear(); // frees it: an idle connection keeps no buffer
    else
        m_buffer.remove(0, m_pos);
    m_scanPos = std::max<qsizetype>(0, m_scanPos - m_pos);
    m_pos = 0;
}

} // namespace Proxy
