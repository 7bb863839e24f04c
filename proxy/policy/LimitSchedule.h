// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>

namespace Proxy {

/// Window arithmetic. Every window of a key is anchored at the key's creation time rounded down to
/// the hour, and windows follow one another without gaps: the current window is the one that holds
/// `now`, so a window resets on schedule without anyone having to reset it.
namespace LimitSchedule {

constexpr qint64 HourSeconds = 3600;

/// Hours since the epoch of @p time (UTC), rounded down.
qint64 hourOf(const QDateTime &time);
/// The first hour of the window of @p window that holds @p now, for a key created at @p anchor.
qint64 windowStartHour(LimitWindow window, const QDateTime &anchor, const QDateTime &now);
/// When the current window ends, i.e. when usage resets (UTC).
QDateTime resetAt(LimitWindow window, const QDateTime &anchor, const QDateTime &now);
/// When the current window began (UTC).
QDateTime windowStart(LimitWindow window, const QDateTime &anchor, const QDateTime &now);
/// The usage carried over from codex-lb that counts at @p now: the limit's carriedValue while the
/// window that ends at its windowAnchor is current, else 0.
qint64 carriedAt(const KeyLimit &limit, const QDateTime &now);

} // namespace LimitSchedule

} // namespace Proxy
