// SPDX-License-Identifier: MIT
#include "proxy/relay/PricingTable.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Proxy {

namespace {

bool isRate(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() >= 0;
}

/// {"input", "output"[, "cached_input"]}; a missing cached rate scales with input from @p base.
std::optional<TierRates> ratesFrom(const QJsonValue &value, double baseInput, double baseCached)
{
    const QJsonObject object = value.toObject();
    const QJsonValue input = object.value(QStringLiteral("input"));
    const QJsonValue cached = object.value(QStringLiteral("cached_input"));
    const QJsonValue output = object.value(QStringLiteral("output"));
    if (!isRate(input) || !isRate(output) || (!cached.isUndefined() && !isRate(cached)))
        return std::nullopt;
    const double scaledCached = baseInput > 0 ? baseCached * input.toDouble() / baseInput : input.toDouble();
    return TierRates{input.toDouble(), cached.isUndefined() ? scaledCached : cached.toDouble(), output.toDouble()};
}

} // namespace

TierRates ModelPrice::ratesFor(QStringView tier, qint64 inputTokens) const
{
    const TierRates standard{input, cachedInput, output};
    TierRates rates = standard;
    const bool isPriority = tier == u"priority" || tier == u"fast";
    if (isPriority)
        rates = priority.value_or(TierRates{input * priorityMultiplier, cachedInput * priorityMultiplier,
                                            output * priorityMultiplier});
    else if (tier == u"flex")
        rates = flex.value_or(standard);
    if (inputTokens <= LongContextInput)
        return rates;
    if (longContext && !isPriority && tier != u"flex")
        return *longContext;
    return {rates.input * 2, rates.cachedInput * 2, rates.output * 1.5};
}

std::optional<PricingTable> PricingTable::fromJson(const QByteArray &json, QString *error)
{
    const auto failWith = [error](const QString &text) {
        if (error)
            *error = text;
        return std::optional<PricingTable>();
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return failWith(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject models = document.object().value(QStringLiteral("models")).toObject();
    PricingTable table;
    table.m_taken = document.object().value(QStringLiteral("taken")).toString();
    for (auto it = models.begin(); it != models.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        const QJsonValue input = entry.value(QStringLiteral("input"));
        const QJsonValue cached = entry.value(QStringLiteral("cached_input"));
        const QJsonValue output = entry.value(QStringLiteral("output"));
        if (!input.isDouble() || !output.isDouble() || input.toDouble() < 0 || output.toDouble() < 0
            || (!cached.isUndefined() && (!cached.isDouble() || cached.toDouble() < 0)))
            return failWith(QStringLiteral("model \"%1\": input and output (and cached_input, if given) must be "
                                           "non-negative USD per 1M tokens")
                                .arg(it.key()));
        // No cached rate given: cached tokens cost what input tokens cost.
        ModelPrice price{input.toDouble(), cached.isUndefined() ? input.toDouble() : cached.toDouble(),
                         output.toDouble(), {}, {}, {}, 2.0};
        for (const auto &[name, slot] : {std::pair{QStringLiteral("priority"), &price.priority},
                                         std::pair{QStringLiteral("flex"), &price.flex},
                                         std::pair{QStringLiteral("long_context"), &price.longContext}}) {
            if (entry.value(name).isUndefined())
                continue;
            *slot = ratesFrom(entry.value(name), price.input, price.cachedInput);
            if (!*slot)
                return failWith(QStringLiteral("model \"%1\": %2 needs non-negative input and output USD per 1M tokens")
                                    .arg(it.key(), name));
        }
        if (const QJsonValue multiplier = entry.value(QStringLiteral("priority_multiplier")); !multiplier.isUndefined()) {
            if (!multiplier.isDouble() || multiplier.toDouble() <= 0)
                return failWith(QStringLiteral("model \"%1\": priority_multiplier must be a positive number").arg(it.key()));
            price.priorityMultiplier = multiplier.toDouble();
        }
        table.m_prices.insert(it.key(), price);
    }
    return table;
}

void PricingTable::merge(const PricingTable &overrides)
{
    for (auto it = overrides.m_prices.cbegin(); it != overrides.m_prices.cend(); ++it)
        m_prices.insert(it.key(), it.value());
    if (!overrides.m_taken.isEmpty())
        m_taken = overrides.m_taken;
}

std::optional<ModelPrice> PricingTable::priceFor(const QString &model) const
{
    if (const auto exact = m_prices.constFind(model); exact != m_prices.cend() && !model.endsWith(u'*'))
        return *exact;
    std::optional<ModelPrice> best;
    qsizetype bestLength = -1;
    for (auto it = m_prices.cbegin(); it != m_prices.cend(); ++it) {
        if (!it.key().endsWith(u'*'))
            continue;
        const QStringView prefix = QStringView(it.key()).chopped(1);
        if (model.startsWith(prefix) && prefix.size() > bestLength) {
            best = it.value();
            bestLength = prefix.size();
        }
    }
    return best;
}

std::optional<qint64> PricingTable::costMicros(const QString &model, const TokenUsage &usage, QStringView tier) const
{
    const std::optional<ModelPrice> price = priceFor(model);
    if (!price)
        return std::nullopt;
    const TierRates rates = price->ratesFor(tier, usage.input);
    const qint64 cached = std::clamp(usage.cached, qint64(0), usage.input);
    const double micros = double(usage.input - cached) * rates.input + double(cached) * rates.cachedInput
                          + double(usage.output) * rates.output;
    return std::llround(micros);
}

} // namespace Proxy
