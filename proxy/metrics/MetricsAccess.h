// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Proxy {

/// Who may read `GET /metrics` (the `metrics-access` setting): Loopback = local requests only
/// (isLocalRequest: a loopback peer, a localhost Host, no forwarding header), Key = any valid
/// Keygate key through the normal auth pipeline, Off = the route does not exist (404).
enum class MetricsAccess { Loopback, Key, Off };

QString toString(MetricsAccess access); ///< "loopback", "key", "off"
MetricsAccess metricsAccessFromString(const QString &text, bool *ok = nullptr);

} // namespace Proxy
