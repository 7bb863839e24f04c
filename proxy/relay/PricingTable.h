// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace Proxy {

/// USD per 1 M tokens at one service tier.
struct TierRates final
{
    double input = 0;
    double cachedInput = 0;
    double output = 0;
};

/// USD per 1 M tokens of one model: the standard rates, and where they are published the priority,
/// flex and long-context rates.
struct ModelPrice final
{
    double input = 0;
    double cachedInput = 0;
    double output = 0;
    std::optional<TierRates> priority; ///< absent: standard × priorityMultiplier
    std::optional<TierRates> flex;     ///< absent: standard
    std::optional<TierRates> longContext; ///< standard tier above LongContextInput; absent: ×2 input, ×1.5 output
    double priorityMultiplier = 2.0;

    /// The rates that apply to a request at @p tier ("priority"/"fast", "flex", else standard) with
    /// @p inputTokens of input.
    TierRates ratesFor(QStringView tier, qint64 inputTokens) const;
};

/// Input above this many tokens is billed at long-context rates.
constexpr qint64 LongContextInput = 272'000;

/// Model prices and the cost of a response (reference §6.2): billable input = input − cached;
/// cost = billable·input + cached·cachedInput + output·output, at the rates of the request's tier. USD per 1 M tokens is micro-dollars per
/// token, so costs come out in integer micro-dollars. A model is found by its exact name, else by the
/// longest matching `prefix*` entry; an unknown model has no cost (unknown, not 0). Immutable once
/// built; shared read-only by the proxy thread.
class PricingTable final
{
public:
    /// {"taken": "...", "models": {"gpt-5.4": {"input": 2.5, "cached_input": 0.25, "output": 15}, "gpt-5.4*": …}}
    /// Entries of @p overrides replace or add to @p base. An error text names the bad entry.
    static std::optional<PricingTable> fromJson(const QByteArray &json, QString *error = nullptr);

    void merge(const PricingTable &overrides);
    std::optional<ModelPrice> priceFor(const QString &model) const;
    /// @p tier: the request's service_tier ("priority", "fast", "flex"; anything else = standard).
    std::optional<qint64> costMicros(const QString &model, const TokenUsage &usage, QStringView tier = {}) const;
    qsizetype size() const { return m_prices.size(); }
    QString takenOn() const { return m_taken; }

private:
    QHash<QString, ModelPrice> m_prices; // exact names, and `prefix*` patterns with their star
    QString m_taken;
};

using PricingTablePtr = std::shared_ptr<const PricingTable>;

} // namespace Proxy
