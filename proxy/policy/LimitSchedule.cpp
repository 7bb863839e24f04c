// SPDX-License-Identifier: MIT
#include "proxy/policy/LimitSchedule.h"

namespace Proxy::LimitSchedule {

namespace {

qint64 floorDiv(qint64 a, qint64 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

qint64 hourOf(const QDateTime &time)
{
    return floorDiv(time.toSecsSinceEpoch(), HourSeconds);
}

qint64 windowStartHour(LimitWindow window, const QDateTime &anchor, const QDateTime &now)
{
    const qint64 lengthHours = windowSeconds(window) / HourSeconds;
    const qint64 anchorHour = hourOf(anchor.isValid() ? anchor : now);
    return anchorHour + floorDiv(hourOf(now) - anchorHour, lengthHours) * lengthHours;
}

QDateTime windowStart(LimitWindow window, const QDateTime &anchor, const QDateTime &now)
{
    return QDateTime::fromSecsSinceEpoch(windowStartHour(window, anchor, now) * HourSeconds, Qt::UTC);
}

QDateTime resetAt(LimitWindow window, const QDateTime &anchor, const QDateTime &now)
{
    return windowStart(window, anchor, now).addSecs(windowSeconds(window));
}

QDateTime anchorOf(const KeyLimit &limit, const QDateTime &keyCreatedAt)
{
    if (limit.countedFrom.isValid())
        return limit.countedFrom;
    return limit.windowAnchor.isValid() ? limit.windowAnchor : keyCreatedAt;
}

qint64 excluded(const KeyLimit &limit, qint64 startHour)
{
    return limit.countedFrom.isValid() && hourOf(limit.countedFrom) == startHour ? limit.countedOffset : 0;
}

qint64 carriedAt(const KeyLimit &limit, const QDateTime &now)
{
    // A usage reset in Keygate restarts the count: what codex-lb had counted no longer applies.
    if (limit.carriedValue <= 0 || !limit.windowAnchor.isValid() || limit.countedFrom.isValid())
        return 0;
    const qint64 currentEnd = windowStartHour(limit.window, limit.windowAnchor, now) * HourSeconds
                              + windowSeconds(limit.window);
    return currentEnd == hourOf(limit.windowAnchor) * HourSeconds ? limit.carriedValue : 0;
}

} // namespace Proxy::LimitSchedule
