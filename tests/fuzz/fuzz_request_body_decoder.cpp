// SPDX-License-Identifier: MIT
// RequestBodyDecoder: whatever the body and Content-Encoding, the answer is 200, 400, 413 or 415; a decoded
// body never exceeds the cap and no stage produces more than cap + 1 bytes; a larger cap gives the same
// body, and a cap below the decoded size gives 413; an identity body comes back unchanged. And a round
// trip: the payload compressed here with gzip, zlib, raw deflate or zstd decodes back to itself.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/http/RequestBodyDecoder.h"

#include <zlib.h>
#include <zstd.h>

using Proxy::RequestBodyDecoder;

namespace {

constexpr qint64 LargeCap = 64 * 1024; // well above every small cap; small enough to keep the target fast

const QList<QList<QByteArray>> &encodings()
{
    static const QList<QList<QByteArray>> all = {
        {},
        {"identity"},
        {"gzip"},
        {"x-gzip"},
        {"deflate"},
        {"zstd"},
        {"ZSTD"},
        {"gzip, gzip"},
        {"deflate", "gzip"},
        {"zstd, identity, gzip"},
        {" gzip ,"},
        {"br"},
        {"gzip,gzip,gzip,gzip,gzip"},
        {"zstd", "zstd"},
        {"deflate, zstd"},
        {"compress"},
    };
    return all;
}

void checkResult(const RequestBodyDecoder::Result &result, const QByteArray &body, qint64 cap)
{
    FUZZ_CHECK(result.status == 200 || result.status == 400 || result.status == 413 || result.status == 415);
    FUZZ_CHECK(result.producedBytes <= qMax<qint64>(cap + 1, body.size()));
    if (result.ok()) {
        FUZZ_CHECK(result.errorCode.isEmpty());
        FUZZ_CHECK(result.changed || result.body == body);
        FUZZ_CHECK(!result.changed || result.body.size() <= cap);
    } else {
        FUZZ_CHECK(!result.errorCode.isEmpty() && !result.message.isEmpty());
    }
}

QByteArray deflated(const QByteArray &data, int windowBits)
{
    z_stream stream{};
    FUZZ_CHECK(deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    FUZZ_CHECK(deflate(&stream, Z_FINISH) == Z_STREAM_END);
    out.truncate(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray zstdCompressed(const QByteArray &data)
{
    static ZSTD_CCtx *const context = ZSTD_createCCtx(); // one for the process: creating one per input is slow
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
    const size_t n = ZSTD_compressCCtx(context, out.data(), size_t(out.size()), data.constData(), size_t(data.size()), 3);
    FUZZ_CHECK(!ZSTD_isError(n));
    out.truncate(qsizetype(n));
    return out;
}

void roundTrip(const QByteArray &payload, std::uint8_t config)
{
    QByteArray coded;
    QByteArray coding;
    switch (config % 4) {
    case 0:
        coded = deflated(payload, 16 + MAX_WBITS);
        coding = "gzip";
        break;
    case 1:
        coded = deflated(payload, MAX_WBITS);
        coding = "deflate";
        break;
    case 2:
        coded = deflated(payload, -MAX_WBITS);
        coding = "deflate";
        break;
    default:
        coded = zstdCompressed(payload);
        coding = "zstd";
        break;
    }
    const RequestBodyDecoder::Result exact = RequestBodyDecoder::decode({coding}, coded, payload.size());
    FUZZ_CHECK(exact.ok() && exact.changed && exact.body == payload);
    if (!payload.isEmpty()) {
        const RequestBodyDecoder::Result under = RequestBodyDecoder::decode({coding}, coded, payload.size() - 1);
        FUZZ_CHECK(under.status == 413 && under.producedBytes == payload.size());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const std::uint8_t config = data[0];
    const QByteArray body(reinterpret_cast<const char *>(data) + 2, qsizetype(size) - 2);
    if (config & 0x80) {
        roundTrip(body, config);
        return 0;
    }
    const QList<QByteArray> &encoding = encodings()[config % encodings().size()];
    const qint64 smallCap = data[1] * 16;

    const RequestBodyDecoder::Result large = RequestBodyDecoder::decode(encoding, body, LargeCap);
    checkResult(large, body, LargeCap);
    const RequestBodyDecoder::Result small = RequestBodyDecoder::decode(encoding, body, smallCap);
    checkResult(small, body, smallCap);
    if (small.ok())
        FUZZ_CHECK(large.ok() && large.body == small.body && large.changed == small.changed);
    if (large.ok() && large.changed && large.body.size() > smallCap)
        FUZZ_CHECK(small.status == 413);
    if (large.status == 415)
        FUZZ_CHECK(small.status == 415);
    return 0;
}
