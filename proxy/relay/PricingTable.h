// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace Proxy {

/// USD per 1 M tokens of one model.
struct ModelPrice final
{
    double input = 0;
    double cachedInput = 0;
    double output = 0;
};

/// Model prices and the cost of a response (reference §6.2): billable input = input − cached;
/// cost = billable·input + cached·cachedInput + output·output. USD per 1 M tokens is micro-dollars per
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
    std::optional<qint64> costMicros(const QString &model, const TokenUsage &usage) const;
    qsizetype size() const { return m_prices.size(); }
    QString takenOn() const { return m_taken; }

private:
    QHash<QString, ModelPrice> m_prices; // exact names, and `prefix*` patterns with their star
    QString m_taken;
};

using PricingTablePtr = std::shared_ptr<const PricingTable>;

} // namespace Proxy
