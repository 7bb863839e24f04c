// SPDX-License-Identifier: MIT
#include "proxy/relay/PricingTable.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Proxy {

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
        table.m_prices.insert(it.key(), {input.toDouble(), cached.isUndefined() ? input.toDouble() : cached.toDouble(),
                                         output.toDouble()});
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

std::optional<qint64> PricingTable::costMicros(const QString &model, const TokenUsage &usage) const
{
    const std::optional<ModelPrice> price = priceFor(model);
    if (!price)
        return std::nullopt;
    const qint64 cached = std::clamp(usage.cached, qint64(0), usage.input);
    const double micros = double(usage.input - cached) * price->input + double(cached) * price->cachedInput
                          + double(usage.output) * price->output;
    return std::llround(micros);
}

} // namespace Proxy
