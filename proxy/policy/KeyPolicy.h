// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Proxy {

/// What a limit counts. Cost is counted in integer micro-dollars (USD × 10⁶).
enum class LimitType { TotalTokens, InputTokens, OutputTokens, CostMicros };

/// How long a limit's window lasts. Month is 30 days, not a calendar month (as codex-lb).
enum class LimitWindow { FiveHours, Day, Week, Month };

/// One (type, window, maximum[, model]) rule of a key.
struct KeyLimit final
{
    qint64 id = 0;
    LimitType type = LimitType::TotalTokens;
    LimitWindow window = LimitWindow::Day;
    qint64 maxValue = 0;  ///< tokens, or micro-dollars for CostMicros
    QString modelFilter;  ///< empty = every model; else only requests for exactly this model count
    /// UTC; when the key's usage was last reset for this limit (`keys reset-usage`): its windows restart
    /// from this hour on. Invalid = never reset: the windows follow the key's creation hour.
    QDateTime countedFrom{};
    /// What the request log held in countedFrom's hour before the reset, in this limit's unit: the
    /// proxy counts whole hours, so the reset's own hour is counted minus this (LimitSchedule::excluded).
    qint64 countedOffset = 0;
    /// Set for a limit imported from codex-lb: its windows end where codex-lb's current window ends
    /// (its reset time, rounded up to the hour) instead of following on from the key's creation.
    /// Invalid = the key's creation time.
    QDateTime windowAnchor{};
    /// What codex-lb had counted (its current_value) in the window that ends at windowAnchor: it
    /// counts in that window only, on top of what Keygate itself records.
    qint64 carriedValue = 0;

    bool appliesTo(const QString &model) const { return modelFilter.isEmpty() || modelFilter == model; }
    bool operator==(const KeyLimit &) const = default;
};

/// What a key may do beyond being valid: models, reasoning efforts and usage limits.
struct KeyPolicy final
{
    QStringList allowedModels;  ///< empty = every model
    QStringList allowedEfforts; ///< empty = every reasoning effort
    QList<KeyLimit> limits;

    bool isOpen() const { return allowedModels.isEmpty() && allowedEfforts.isEmpty() && limits.isEmpty(); }
    bool operator==(const KeyPolicy &) const = default;
};

/// The names used on the wire (/v1/usage, the database): total_tokens, input_tokens, output_tokens, cost_usd.
QString wireName(LimitType type);
/// 5h, daily, weekly, monthly.
QString wireName(LimitWindow window);
/// Short names for people (CLI, trace, console): tokens, input, output, cost.
QString shortName(LimitType type);
/// 5h, day, week, month.
QString shortName(LimitWindow window);
/// Accepts the wire and the short names.
std::optional<LimitType> limitTypeFromString(const QString &text);
/// Accepts the wire and the short names, and 7d for a week.
std::optional<LimitWindow> limitWindowFromString(const QString &text);
qint64 windowSeconds(LimitWindow window);

/// The reasoning efforts a client may select (codex-lb's list).
const QStringList &knownReasoningEfforts();

} // namespace Proxy
