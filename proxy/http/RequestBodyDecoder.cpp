// SPDX-License-Identifier: MIT
#include "proxy/http/RequestBodyDecoder.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace Proxy {

namespace {

constexpr qint64 StepBytes = 256 * 1024;

using Result = RequestBodyDecoder::Result;

Result failure(int status, const QString &code, const QString &message)
{
    Result result;
    result.status = status;
    result.errorCode = code;
    result.message = message;
    return result;
}

Result corrupt(const QByteArray &coding, const QString &detail)
{
    return failure(400, QStringLiteral("invalid_compressed_body"),
                   QStringLiteral("The request body is not valid %1 data: %2").arg(QString::fromLatin1(coding), detail));
}

Result tooLarge(qint64 maxBytes)
{
    return failure(413, QStringLiteral("request_too_large"),
                   QStringLiteral("Request body too large once decompressed (limit %1 bytes)").arg(maxBytes));
}

/// The output of one stage: grows in steps, never past maxBytes + 1 bytes.
class BoundedOutput final
{
public:
    explicit BoundedOutput(qint64 maxBytes) : m_limit(maxBytes + 1) {}

    /// Room for the next decoder call; false when the limit is reached (the input is too large).
    bool makeRoom()
    {
        if (m_produced < m_buffer.size())
            return true;
        if (m_produced >= m_limit)
            return false;
        m_buffer.resize(std::min(m_produced + StepBytes, m_limit));
        return true;
    }
    char *cursor() { return m_buffer.data() + m_produced; }
    qint64 freeBytes() const { return m_buffer.size() - m_produced; }
    void advance(qint64 bytes) { m_produced += bytes; }
    bool full() const { return m_produced == m_buffer.size(); }
    bool overLimit() const { return m_produced >= m_limit; }
    qint64 produced() const { return m_produced; }
    QByteArray take()
    {
        m_buffer.truncate(m_produced);
        return std::move(m_buffer);
    }

private:
    QByteArray m_buffer;
    qint64 m_produced = 0;
    qint64 m_limit;
};

Result finished(BoundedOutput &out)
{
    Result result;
    result.producedBytes = out.produced();
    result.body = out.take();
    result.changed = true;
    return result;
}

Result decodeZstd(const QByteArray &input, qint64 maxBytes)
{
    const std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(), &ZSTD_freeDStream);
    if (!stream)
        return failure(500, QStringLiteral("server_error"), QStringLiteral("zstd decoder unavailable"));
    ZSTD_DCtx_setParameter(stream.get(), ZSTD_d_windowLogMax, RequestBodyDecoder::MaxZstdWindowLog);
    ZSTD_inBuffer in{input.constData(), size_t(input.size()), 0};
    BoundedOutput out(maxBytes);
    if (input.isEmpty())
        return corrupt("zstd", QStringLiteral("empty body"));
    for (;;) {
        if (!out.makeRoom()) {
            Result result = tooLarge(maxBytes);
            result.producedBytes = out.produced();
            return result;
        }
        ZSTD_outBuffer outBuffer{out.cursor(), size_t(out.freeBytes()), 0};
        const size_t rc = ZSTD_decompressStream(stream.get(), &outBuffer, &in);
        if (ZSTD_isError(rc))
            return corrupt("zstd", QString::fromLatin1(ZSTD_getErrorName(rc)));
        out.advance(qint64(outBuffer.pos));
        if (out.overLimit()) {
            Result result = tooLarge(maxBytes);
            result.producedBytes = out.produced();
            return result;
        }
        if (rc == 0 && in.pos == in.size) // the last frame is complete and flushed
            return finished(out);
        if (!out.full() && in.pos == in.size)
            return corrupt("zstd", QStringLiteral("truncated frame"));
    }
}

/// A zlib (RFC 1950) header: deflate method, a window the format allows, a valid check value.
bool hasZlibHeader(const QByteArray &input)
{
    if (input.size() < 2)
        return false;
    const auto cmf = uchar(input[0]);
    const auto flg = uchar(input[1]);
    return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

Result decodeZlib(const QByteArray &coding, const QByteArray &input, qint64 maxBytes)
{
    const bool gzip = coding == "gzip";
    const int windowBits = gzip ? 16 + MAX_WBITS : (hasZlibHeader(input) ? MAX_WBITS : -MAX_WBITS);
    z_stream stream{};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return failure(500, QStringLiteral("server_error"), QStringLiteral("zlib decoder unavailable"));
    const std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&stream, &inflateEnd);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
    stream.avail_in = uInt(input.size());
    BoundedOutput out(maxBytes);
    for (;;) {
        if (!out.makeRoom()) {
            Result result = tooLarge(maxBytes);
            result.producedBytes = out.produced();
            return result;
        }
        const auto room = uInt(std::min<qint64>(out.freeBytes(), std::numeric_limits<uInt>::max()));
        stream.next_out = reinterpret_cast<Bytef *>(out.cursor());
        stream.avail_out = room;
        const int rc = inflate(&stream, Z_NO_FLUSH);
        out.advance(qint64(room - stream.avail_out));
        if (out.overLimit()) {
            Result result = tooLarge(maxBytes);
            result.producedBytes = out.produced();
            return result;
        }
        if (rc == Z_STREAM_END) {
            if (stream.avail_in == 0)
                return finished(out);
            if (!gzip)
                return corrupt(coding, QStringLiteral("data after the end of the stream"));
            inflateReset(&stream); // gzip allows concatenated members
            continue;
        }
        if (rc == Z_BUF_ERROR && !out.full())
            return corrupt(coding, QStringLiteral("truncated stream"));
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return corrupt(coding, QString::fromLatin1(stream.msg ? stream.msg : "invalid data"));
    }
}

} // namespace

QList<QByteArray> RequestBodyDecoder::codings(const QList<QByteArray> &contentEncodingValues)
{
    QList<QByteArray> out;
    for (const QByteArray &value : contentEncodingValues) {
        for (const QByteArray &part : value.split(',')) {
            QByteArray coding = part.trimmed().toLower();
            if (coding == "x-gzip")
                coding = "gzip";
            if (!coding.isEmpty() && coding != "identity")
                out.append(coding);
        }
    }
    return out;
}

RequestBodyDecoder::Result RequestBodyDecoder::decode(const QList<QByteArray> &contentEncodingValues,
                                                      const QByteArray &body, qint64 maxBytes)
{
    const QList<QByteArray> applied = codings(contentEncodingValues);
    for (const QByteArray &coding : applied) {
        if (coding != "zstd" && coding != "gzip" && coding != "deflate")
            return failure(415, QStringLiteral("unsupported_content_encoding"),
                           QStringLiteral("Content-Encoding %1 is not supported (zstd, gzip, deflate, identity are)")
                               .arg(QString::fromLatin1(coding.left(32))));
    }
    if (applied.size() > MaxCodings)
        return failure(415, QStringLiteral("unsupported_content_encoding"),
                       QStringLiteral("At most %1 stacked content codings are supported").arg(MaxCodings));
    Result result;
    result.body = body;
    result.producedBytes = body.size();
    for (auto it = applied.crbegin(); it != applied.crend(); ++it) {
        result = *it == "zstd" ? decodeZstd(result.body, maxBytes) : decodeZlib(*it, result.body, maxBytes);
        if (!result.ok())
            return result;
    }
    return result;
}

} // namespace Proxy
