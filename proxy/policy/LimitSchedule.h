// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>

namespace Proxy {

/// Window arithmetic. Every window of a key is anchored at the key's creation time rounded down to
/// the hour (or, after a usage reset, at the reset's hour), and windows follow one another without
/// gaps: the current window is the one that holds `now`, so a window resets on schedule without anyone
/// having to reset it.
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
/// Where @p limit's windows are anchored: its last usage reset, else where codex-lb's window ends for an
/// imported limit, else the key's creation time.
QDateTime anchorOf(const KeyLimit &limit, const QDateTime &keyCreatedAt);
/// What to subtract from the usage summed from @p startHour on: the part of the reset's hour that came
/// before the reset, while the window that starts at @p startHour is the first one after it; else 0.
qint64 excluded(const KeyLimit &limit, qint64 startHour);
/// The usage carried over from codex-lb that counts at @p now: the limit's carriedValue while the
/// window that ends at its windowAnchor is current and the limit was not reset since, else 0.
qint64 carriedAt(const KeyLimit &limit, const QDateTime &now);

} // namespace LimitSchedule

} // namespace Proxy
