// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

class QObject;

namespace Proxy {

/// What a relay does when its client hangs up before the terminal event: it moves to @ref owner (so
/// it outlives the client's exchange) and keeps reading the upstream for up to @ref ms to learn the
/// real usage; without one it charges UsageEstimate::forClientClosed(@ref requestBytes, bytes relayed).
/// A hang-up must never make a request free.
struct DrainPlan final
{
    QObject *owner = nullptr; ///< null: no drain, the estimate is charged at once
    int ms = 60'000;
    qint64 requestBytes = 0;  ///< the body sent upstream (decoded, as forwarded)
};

} // namespace Proxy
