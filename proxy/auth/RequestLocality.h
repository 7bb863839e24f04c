// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QHostAddress>

namespace Proxy {

/// A request is local when all hold: the socket peer is loopback, the Host header names
/// localhost/127.0.0.1/[::1], and no forwarded-client header (X-Forwarded-For, Forwarded,
/// X-Real-IP) is present at all — even an empty one, since it means something relayed the request.
bool isLocalRequest(const QHostAddress &peer, const HttpHeaders &headers);

} // namespace Proxy
