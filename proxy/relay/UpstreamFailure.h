// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/upstream/UpstreamExchange.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Proxy {

/// Why no upstream answer can be relayed, as the client gets it before any head went out: 502 or
/// 504 with the OpenAI envelope (`server_error`) whose code names the kind and whose message names
/// the cause. Made from a transport failure (unreachable, timeout, an unparsable answer) or from a
/// head Keygate refuses to relay: a redirect, which is never followed and never passed on (a client
/// that followed it would send its request body, and perhaps its key, to an address the upstream
/// chose), or a body encoded although Keygate asked for `identity` (it cannot read the usage in it,
/// and a client did not ask for it either).
struct UpstreamFailure final
{
    int status = 502;
    QString code;
    QString message;

    static UpstreamFailure fromError(const UpstreamError &error);
    /// The refusal of a head with @p status and @p headers, or nothing when it may be relayed.
    static std::optional<UpstreamFailure> refusedHead(int status, const HttpHeaders &headers);
    /// The Content-Encoding of @p headers when it is not identity (e.g. "gzip"), else empty.
    static QByteArray contentCoding(const HttpHeaders &headers);

    /// The OpenAI envelope: {"error":{"message","type":"server_error","code"}}.
    QByteArray body() const;
};

} // namespace Proxy
