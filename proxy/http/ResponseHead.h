// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>

/// Formatting of response heads for the HTTP front end: status line, the handler's headers (minus the
/// framing ones the front end owns), Date and Connection.
namespace Proxy::ResponseHead {

/// Status line, headers, Date and Connection; the caller adds framing headers and the final CRLF.
QByteArray build(int status, const HttpHeaders &headers, bool close);

/// 1xx, 204 and 304 responses never carry a body.
bool bodyForbidden(int status);

/// @p status when it is a final status, else 500 (with a warning).
int finalStatusOr500(int status);

} // namespace Proxy::ResponseHead
