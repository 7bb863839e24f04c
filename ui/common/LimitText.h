// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/LimitStatus.h"

#include <QDateTime>
#include <QString>

namespace Console {

/// How the console words a key's limits: "tokens / day — 12,345 of 100,000 (88 % left) · resets in
/// 3 h 12 min". Pure functions of their arguments (the clock is passed in), any thread.
class LimitText final
{
public:
    /// How full a limit is, for colouring: Warning from 80 % used, Exhausted when used up.
    enum class Level { Normal, Warning, Exhausted };

    static constexpr int WarningPercent = 80;

    /// "12,345" for tokens; "$1.25" for cost (four decimals when it is not whole cents).
    static QString amount(Proxy::LimitType type, qint64 value);
    /// "tokens / day", "cost / month (gpt-5.4 only)".
    static QString title(const Proxy::KeyLimit &limit);
    /// "42 s", "12 min", "3 h 12 min", "2 d 4 h"; "now" at or below 0 s.
    static QString countdown(qint64 seconds);
    /// The whole line; without the reset part when @p status has no reset time, and with
    /// " · usage reset 2026-12-07 18:30" (local time) after its usage was last reset.
    static QString describe(const Proxy::LimitStatus &status, const QDateTime &now);
    static Level level(const Proxy::LimitStatus &status);
    /// The text of an editor's "maximum" field, read back exactly by KeyPolicyService::parseMax:
    /// "100000", or USD for cost ("5.00", "1.234567").
    static QString editableMax(Proxy::LimitType type, qint64 value);
};

} // namespace Console
