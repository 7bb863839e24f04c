// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/ClockCheck.h"

#include <cstdlib>

namespace Core {

namespace {
const QString Check = QStringLiteral("clock");
const QString SyncFix = QStringLiteral("turn on time sync (timedatectl set-ntp true) or set the clock");
} // namespace

DiagnosticLine ClockCheck::run(const QList<ServerClock> &clocks)
{
    if (clocks.isEmpty())
        return DiagnosticLine::warn(Check, QStringLiteral("not checked: no upstream answered with a Date header"),
                                    QStringLiteral("make an account reachable (see the account lines)"));
    const ServerClock &clock = clocks.constFirst();
    // Positive: this machine is ahead of the upstream.
    const qint64 skew = clock.serverDate.secsTo(clock.receivedAt);
    const QString direction = skew >= 0 ? QStringLiteral("ahead of") : QStringLiteral("behind");
    const QString detail = QStringLiteral("%1 s %2 account \"%3\"'s Date header").arg(std::llabs(skew)).arg(direction, clock.account);
    if (std::llabs(skew) > FailAfterSeconds)
        return DiagnosticLine::fail(Check, detail + QStringLiteral(" (more than %1 s)").arg(FailAfterSeconds), SyncFix);
    if (std::llabs(skew) > WarnAfterSeconds)
        return DiagnosticLine::warn(Check, detail + QStringLiteral(" (more than %1 s)").arg(WarnAfterSeconds), SyncFix);
    return DiagnosticLine::ok(Check, detail);
}

} // namespace Core
