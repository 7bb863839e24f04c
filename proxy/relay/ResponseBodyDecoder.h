// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace Proxy {

/// Undoes an upstream response's Content-Encoding (gzip, deflate or zstd) as the body streams in, so
/// usage parsing reads plain SSE/JSON and clients get what they asked for (we ask for identity; this
/// covers upstreams that compress anyway). One coding only; anything else is not decodable.
class ResponseBodyDecoder final
{
public:
    /// A decoder for the Content-Encoding field value @p coding, or nullptr when @p coding is empty
    /// or `identity`. @p supported is set false for codings we cannot undo.
    static std::unique_ptr<ResponseBodyDecoder> forCoding(QByteArrayView coding, bool *supported);
    ~ResponseBodyDecoder();

    /// The plain bytes @p data decodes to; on corrupt input returns what was decoded and sets failed().
    QByteArray feed(QByteArrayView data);
    bool failed() const { return m_failed; }

private:
    enum class Kind { Zlib, Zstd };
    explicit ResponseBodyDecoder(Kind kind);
    QByteArray feedZlib(QByteArrayView data);
    QByteArray feedZstd(QByteArrayView data);

    Kind m_kind;
    struct State;
    std::unique_ptr<State> m_state;
    bool m_failed = false;
};

} // namespace Proxy
