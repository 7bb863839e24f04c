// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QString>

namespace Proxy {

/// A new request id, "req_" + 16 hex digits. Every request gets one of these: a client's
/// x-request-id never becomes Keygate's id (it could collide with, or impersonate, another request's).
QByteArray newRequestId();

/// The client's x-request-id for the trace only: at most 64 characters, each byte outside printable
/// ASCII replaced by '?', "…" appended when cut; empty when the client sent none.
QString clientRequestId(const HttpHeaders &headers);

} // namespace Proxy
