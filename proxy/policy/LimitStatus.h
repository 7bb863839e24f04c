// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>

namespace Proxy {

/// Where one limit of one key stands now. `current` may exceed the maximum (requests in flight
/// when the limit was reached still settle); people and /v1/usage see it clamped.
struct LimitStatus final
{
    qint64 keyId = 0;
    KeyLimit limit;
    qint64 current = 0;
    QDateTime resetAt; ///< UTC, end of the current window

    qint64 clamped() const { return qBound<qint64>(0, current, limit.maxValue); }
    qint64 remaining() const { return limit.maxValue - clamped(); }
    bool exhausted() const { return current >= limit.maxValue; }
    /// 0–100, rounded down.
    int percent() const { return limit.maxValue > 0 ? int(clamped() * 100 / limit.maxValue) : 100; }
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::LimitStatus)
