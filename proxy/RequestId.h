// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

namespace Proxy {

/// A new request id, "req_" + 16 hex digits.
QByteArray newRequestId();

} // namespace Proxy
