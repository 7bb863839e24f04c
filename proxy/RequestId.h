// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QString>

namespace Proxy {

/// A new request id, "req_" + 16 hex digits.
QByteArray newRequestId();

/// The client's x-request-id when it is short and printable, else a new one.
QString requestIdFor(const HttpHeaders &headers);

} // namespace Proxy
