// SPDX-License-Identifier: MIT
#include "proxy/relay/ResponseBodyDecoder.h"

#include <zlib.h>
#include <zstd.h>

namespace Proxy {

namespace {

constexpr qsizetype OutChunk = 64 * 1024;

} // namespace

struct ResponseBodyDecoder::State
{
    z_stream zlib{};
    bool zlibOpen = false;
    ZSTD_DStream *zstd = nullptr;
};

std::unique_ptr<ResponseBodyDecoder> ResponseBodyDecoder::forCoding(QByteArrayView coding, bool *supported)
{
    *supported = true;
    const QByteArray name = coding.trimmed().toByteArray().toLower();
    if (name.isEmpty() || name == "identity")
        return nullptr;
    std::unique_ptr<ResponseBodyDecoder> decoder;
    if (name == "gzip" || name == "x-gzip" || name == "deflate") {
        decoder.reset(new ResponseBodyDecoder(Kind::Zlib));
        // 15 + 32: zlib or gzip header, detected from the first bytes.
        decoder->m_state->zlibOpen = inflateInit2(&decoder->m_state->zlib, 15 + 32) == Z_OK;
        if (!decoder->m_state->zlibOpen)
            decoder->m_failed = true;
    } else if (name == "zstd") {
        decoder.reset(new ResponseBodyDecoder(Kind::Zstd));
        decoder->m_state->zstd = ZSTD_createDStream();
        if (!decoder->m_state->zstd || ZSTD_isError(ZSTD_initDStream(decoder->m_state->zstd)))
            decoder->m_failed = true;
    } else {
        *supported = false;
    }
    return decoder;
}

ResponseBodyDecoder::ResponseBodyDecoder(Kind kind) : m_kind(kind), m_state(std::make_unique<State>()) {}

ResponseBodyDecoder::~ResponseBodyDecoder()
{
    if (m_state->zlibOpen)
        inflateEnd(&m_state->zlib);
    if (m_state->zstd)
        ZSTD_freeDStream(m_state->zstd);
}

QByteArray ResponseBodyDecoder::feed(QByteArrayView data)
{
    if (m_failed || data.isEmpty())
        return {};
    return m_kind == Kind::Zlib ? feedZlib(data) : feedZstd(data);
}

QByteArray ResponseBodyDecoder::feedZlib(QByteArrayView data)
{
    QByteArray out;
    z_stream &z = m_state->zlib;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    bool outputFull = false;
    while (z.avail_in > 0 || outputFull) {
        const qsizetype before = out.size();
        out.resize(before + OutChunk);
        z.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        z.avail_out = uInt(OutChunk);
        const int result = inflate(&z, Z_NO_FLUSH);
        outputFull = z.avail_out == 0; // more may be pending even without input
        out.resize(before + (OutChunk - qsizetype(z.avail_out)));
        if (result == Z_STREAM_END) {
            if (z.avail_in == 0 && !outputFull)
                break;
            inflateReset(&z); // another gzip member follows
            continue;
        }
        if (result != Z_OK && result != Z_BUF_ERROR) {
            m_failed = true;
            break;
        }
        if (result == Z_BUF_ERROR && z.avail_out != 0)
            break; // needs more input
    }
    return out;
}

QByteArray ResponseBodyDecoder::feedZstd(QByteArrayView data)
{
    QByteArray out;
    ZSTD_inBuffer in{data.data(), size_t(data.size()), 0};
    bool outputFull = false;
    while (in.pos < in.size || outputFull) {
        const qsizetype before = out.size();
        out.resize(before + OutChunk);
        ZSTD_outBuffer buffer{out.data() + before, size_t(OutChunk), 0};
        const size_t result = ZSTD_decompressStream(m_state->zstd, &buffer, &in);
        outputFull = buffer.pos == buffer.size; // more may be pending even without input
        out.resize(before + qsizetype(buffer.pos));
        if (ZSTD_isError(result)) {
            m_failed = true;
            break;
        }
    }
    return out;
}

} // namespace Proxy
