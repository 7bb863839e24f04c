// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <zlib.h>
#include <zstd.h>

#include <functional>

namespace TestSupport {

/// Encoders for request-body decoding tests, straight on libzstd / zlib (link zstd and ZLIB).
/// Input comes from @p produce, called until it returns an empty chunk, so a gigabyte of zeros never
/// sits in memory.
using ChunkSource = std::function<QByteArray()>;

inline ChunkSource once(const QByteArray &data)
{
    return [data, done = false]() mutable {
        if (done)
            return QByteArray();
        done = true;
        return data;
    };
}

/// @p total zero bytes, 1 MiB at a time.
inline ChunkSource zeros(qint64 total)
{
    return [left = total]() mutable {
        const qint64 n = std::min<qint64>(left, 1024 * 1024);
        left -= n;
        return QByteArray(n, '\0');
    };
}

inline QByteArray zstdCompress(const ChunkSource &produce, int level = 3)
{
    ZSTD_CCtx *ctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level);
    QByteArray out;
    QByteArray buffer(int(ZSTD_CStreamOutSize()), Qt::Uninitialized);
    for (QByteArray chunk = produce();; chunk = produce()) {
        const bool last = chunk.isEmpty();
        ZSTD_inBuffer in{chunk.constData(), size_t(chunk.size()), 0};
        for (;;) {
            ZSTD_outBuffer o{buffer.data(), size_t(buffer.size()), 0};
            const size_t left = ZSTD_compressStream2(ctx, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
            out.append(buffer.constData(), qsizetype(o.pos));
            if (last ? left == 0 : in.pos == in.size)
                break;
        }
        if (last)
            break;
    }
    ZSTD_freeCCtx(ctx);
    return out;
}

/// windowBits: 16 + 15 gzip, 15 zlib ("deflate"), -15 raw deflate.
inline QByteArray zlibCompress(const ChunkSource &produce, int windowBits, int level = Z_DEFAULT_COMPRESSION)
{
    z_stream zs{};
    deflateInit2(&zs, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out;
    QByteArray buffer(64 * 1024, Qt::Uninitialized);
    for (QByteArray chunk = produce();; chunk = produce()) {
        const bool last = chunk.isEmpty();
        zs.next_in = reinterpret_cast<Bytef *>(chunk.data());
        zs.avail_in = uInt(chunk.size());
        int rc = Z_OK;
        do {
            zs.next_out = reinterpret_cast<Bytef *>(buffer.data());
            zs.avail_out = uInt(buffer.size());
            rc = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
            out.append(buffer.constData(), buffer.size() - qsizetype(zs.avail_out));
        } while (zs.avail_out == 0 || (last && rc != Z_STREAM_END));
        if (last)
            break;
    }
    deflateEnd(&zs);
    return out;
}

inline QByteArray zstd(const QByteArray &data) { return zstdCompress(once(data)); }
inline QByteArray gzip(const QByteArray &data) { return zlibCompress(once(data), 16 + MAX_WBITS); }
inline QByteArray zlibDeflate(const QByteArray &data) { return zlibCompress(once(data), MAX_WBITS); }
inline QByteArray rawDeflate(const QByteArray &data) { return zlibCompress(once(data), -MAX_WBITS); }

} // namespace TestSupport
