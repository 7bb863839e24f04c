// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QString>

namespace Proxy {

class HttpExchange;

/// Rewrites an accepted upstream Responses answer for a client that speaks another protocol (chat
/// completions). ResponsesRelay writes through it when one is set; without one it copies the upstream
/// bytes unchanged. The relay keeps its own usage parsing, backpressure and recording either way.
/// Lives on the proxy thread, owned by the ResponsesRelay.
class ResponseTransform
{
public:
    virtual ~ResponseTransform() = default;

    /// The upstream head arrived. @p clientHeaders is the head the relay would send; the transform
    /// sends its own head now (streaming) or later (a complete response).
    virtual void begin(HttpExchange &exchange, int upstreamStatus, const HttpHeaders &upstreamHeaders,
                       HttpHeaders clientHeaders) = 0;
    /// Upstream body bytes as they arrive. Returns the bytes written to the client.
    virtual qint64 write(HttpExchange &exchange, const QByteArray &upstreamBytes) = 0;
    /// The upstream body ended. Returns the bytes written to the client.
    virtual qint64 end(HttpExchange &exchange) = 0;
    /// The stream broke before its terminal event: tell the client in its own protocol and end.
    virtual qint64 fail(HttpExchange &exchange, const QString &code, const QString &message) = 0;
    /// The status the client got (or will get).
    virtual int clientStatus() const = 0;
};

} // namespace Proxy
