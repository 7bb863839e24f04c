// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Proxy {

/// Undoes a request's Content-Encoding: `zstd` (libzstd), `gzip`/`x-gzip` (zlib, concatenated
/// members too), `deflate` (zlib-wrapped, or raw deflate as some clients send it) and `identity`, or
/// a comma-separated stack of them (field values joined, undone last-applied first, at most
/// MaxCodings). Every stage streams into an output buffer it never lets grow past maxBytes + 1: a
/// decompression bomb stops there (413), whatever its ratio. An unknown coding is 415, corrupt or
/// truncated data 400. Pure and synchronous; called on the proxy thread.
class RequestBodyDecoder final
{
public:
    static constexpr int MaxCodings = 4;
    /// zstd frames asking for a larger window are refused (RFC 8878 §3.1.1.1.2: 8 MiB for the web).
    static constexpr int MaxZstdWindowLog = 23;

    struct Result final
    {
        int status = 200;        ///< 200, or 400 / 413 / 415 for the client
        QByteArray body;         ///< the decoded body (status 200)
        bool changed = false;    ///< a real coding was undone: the body differs from the input
        QString errorCode;       ///< OpenAI envelope code when status != 200
        QString message;
        qint64 producedBytes = 0; ///< bytes the last stage produced (≤ maxBytes + 1 by construction)

        bool ok() const { return status == 200; }
    };

    /// The codings named in @p contentEncodingValues, lower-case, in the order they were applied;
    /// `identity` and empty entries are left out.
    static QList<QByteArray> codings(const QList<QByteArray> &contentEncodingValues);

    /// Decodes @p body sent with the Content-Encoding field values @p contentEncodingValues.
    static Result decode(const QList<QByteArray> &contentEncodingValues, const QByteArray &body, qint64 maxBytes);
};

} // namespace Proxy
