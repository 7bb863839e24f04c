// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>

namespace Proxy {

/// Where an HttpExchange that has no client connection of its own sends its response: a request
/// made inside Keygate (a WebSocket turn) is answered through the same relays as one from a socket.
class ExchangeSink
{
public:
    virtual ~ExchangeSink() = default;
    virtual void respond(int status, const HttpHeaders &headers, const QByteArray &body) = 0;
    virtual void beginStream(int status, const HttpHeaders &headers) = 0;
    virtual void writeChunk(const QByteArray &data) = 0;
    virtual void endStream() = 0;
    virtual void abort() = 0;
    virtual qint64 pendingBytes() const = 0;
};

} // namespace Proxy
