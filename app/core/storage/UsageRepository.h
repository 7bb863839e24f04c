// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/metrics/RequestCount.h"
#include "proxy/relay/TokenUsage.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>

namespace Core {

/// Lifetime usage of one key, with what is needed to show it.
struct KeyUsage final
{
    qint64 keyId = 0;
    QString name;
    QString prefix;
    QString maskedKey;
    Proxy::UsageTotals totals;
};

/// Lifetime aggregates, read from the daily rollup (`usage_daily`), so they stay whole after old
/// request_log rows are pruned: request_count = rows of the key; token counts sum the non-NULL
/// values (unknown usage counts as a request with no tokens); cost = SUM(cost_micros) or 0.
class UsageRepository final
{
public:
    explicit UsageRepository(QSqlDatabase db);

    /// Per key id, only keys that have rows. This is the baseline the proxy adds to.
    Result<QHash<qint64, Proxy::UsageTotals>> totalsByKey() const;
    /// Every existing key (zeros when unused), ordered by id.
    Result<QList<KeyUsage>> perKey() const;
    /// All rows, including anonymous and denied requests and rows of deleted keys.
    Result<Proxy::UsageTotals> overall() const;
    /// Rows per route, status and outcome (every row): where the proxy's request counter starts.
    Result<QList<Proxy::RequestCount>> requestCounts() const;

private:
    QSqlDatabase m_db;
};

} // namespace Core
