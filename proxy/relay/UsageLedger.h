// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include <QHash>

#include <optional>

namespace Proxy {

/// Per-key lifetime totals kept in memory on the proxy thread, so /v1/usage needs no SQL:
/// the stored baseline (loaded once at start) plus every request this process recorded since.
class UsageLedger final
{
public:
    void setBaseline(const QHash<qint64, UsageTotals> &baseline) { m_totals = baseline; }
    void record(qint64 keyId, const std::optional<TokenUsage> &usage, std::optional<qint64> costMicros = {})
    {
        if (keyId == 0)
            return;
        UsageTotals &totals = m_totals[keyId];
        ++totals.requestCount;
        if (usage)
            totals.add(*usage);
        if (costMicros)
            totals.costUsd += double(*costMicros) / 1e6;
    }
    UsageTotals totals(qint64 keyId) const { return m_totals.value(keyId); }

private:
    QHash<qint64, UsageTotals> m_totals;
};

} // namespace Proxy
