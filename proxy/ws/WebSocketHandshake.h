// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QString>

namespace Proxy {

/// The server side of the RFC 6455 §4.2 opening handshake.
struct WebSocketHandshake final
{
    bool valid = false;
    QString error;     ///< why the request is not a usable upgrade (for a 400/426)
    QByteArray accept; ///< Sec-WebSocket-Accept for the 101

    /// Checks a GET's headers: Upgrade websocket, Connection lists upgrade, version 13, a key of 16
    /// base64-encoded bytes.
    static WebSocketHandshake check(const HttpHeaders &headers);
    static QByteArray acceptFor(const QByteArray &key);
};

} // namespace Proxy
