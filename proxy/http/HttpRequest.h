// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QHostAddress>

namespace Proxy {

/// A complete, validated HTTP/1.x request as the front end hands it to the handler.
struct HttpRequest final
{
    QByteArray method;   ///< as sent, e.g. "POST"
    QByteArray target;   ///< request-target as sent, e.g. "/v1/responses?x=1"
    QByteArray path;     ///< target without the query
    QByteArray query;    ///< without '?', may be empty
    int versionMinor = 1; ///< HTTP/1.<minor>
    HttpHeaders headers;
    QByteArray body;
    QHostAddress peer;
    quint16 peerPort = 0;
};

} // namespace Proxy
