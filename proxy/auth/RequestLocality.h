// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QHostAddress>

namespace Proxy {

/// A request is local when all hold: the socket peer is loopback, there is one Host header, it is a
/// valid Host (HostHeader) whose host is exactly `localhost` (any case), `127.0.0.1` or `[::1]`
/// (any port), and no forwarded-client header (X-Forwarded-For, Forwarded, X-Real-IP) is present at
/// all — even an empty one, since it means something relayed the request. `localhost.` is not local:
/// only the three spellings are, so that no other spelling of a name can be judged local by accident.
bool isLocalRequest(const QHostAddress &peer, const HttpHeaders &headers);

} // namespace Proxy
