// SPDX-License-Identifier: MIT
#include "proxy/ws/WebSocketHandshake.h"

#include "proxy/http/HttpSyntax.h"

#include <QCryptographicHash>

namespace Proxy {

QByteArray WebSocketHandshake::acceptFor(const QByteArray &key)
{
    const QByteArray salted = key + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return QCryptographicHash::hash(salted, QCryptographicHash::Sha1).toBase64();
}

WebSocketHandshake WebSocketHandshake::check(const HttpHeaders &headers)
{
    WebSocketHandshake out;
    if (headers.value("upgrade").trimmed().compare("websocket", Qt::CaseInsensitive) != 0) {
        out.error = QStringLiteral("Upgrade: websocket is required");
        return out;
    }
    if (!HttpSyntax::listContains(headers, "connection", "upgrade")) {
        out.error = QStringLiteral("Connection: Upgrade is required");
        return out;
    }
    if (headers.value("sec-websocket-version").trimmed() != "13") {
        out.error = QStringLiteral("Sec-WebSocket-Version 13 is required");
        return out;
    }
    const QByteArray key = headers.value("sec-websocket-key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16) {
        out.error = QStringLiteral("Sec-WebSocket-Key must be 16 base64-encoded bytes");
        return out;
    }
    out.valid = true;
    out.accept = acceptFor(key);
    return out;
}

} // namespace Proxy
