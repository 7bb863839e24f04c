// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"

#include <QDateTime>

namespace Core {

/// What one upstream said the time was (its `Date` header) and when its answer arrived here.
struct ServerClock final
{
    QString account;
    QDateTime serverDate; ///< UTC
    QDateTime receivedAt; ///< local UTC
};

/// The local clock against an upstream's `Date` header. A skewed clock breaks token expiry checks,
/// key expiry and limit windows, and TLS when far off. Within WarnAfterSeconds is ok (the header has
/// one-second resolution and the answer took some time); beyond FailAfterSeconds is a failure. Pure.
class ClockCheck final
{
public:
    static constexpr qint64 WarnAfterSeconds = 60;
    static constexpr qint64 FailAfterSeconds = 300;

    /// Compares against the first of @p clocks (accounts in routing order); a warning when none answered.
    static DiagnosticLine run(const QList<ServerClock> &clocks);
};

} // namespace Core
