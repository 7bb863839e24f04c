// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/KeySnapshot.h"
#include "proxy/policy/LimitStatus.h"
#include "proxy/relay/TokenUsage.h"

#include <QByteArray>

namespace Proxy {

/// The `/v1/usage` body: the key's lifetime totals and its limits in codex-lb's shape
/// (`limit_type`, `limit_window`, clamped `current_value`, `remaining_value`, `model_filter` or null,
/// `reset_at` ISO with Z, `source` api_key_limit).
QByteArray usageReport(const KeyEntry &key, const UsageTotals &totals, const QList<LimitStatus> &limits);

} // namespace Proxy
