// SPDX-License-Identifier: MIT
#include "ui/usage/UsageLedger.h"

#include <algorithm>

namespace Console {

void UsageLedger::reset(const UsageRange &range, QList<Core::KeyUsageSummary> rows,
                        const QList<Core::TokenBucket> &buckets)
{
    m_range = range;
    m_rows = std::move(rows);
    m_rowOfKey.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOfKey.insert(m_rows.at(row).keyId, row);
    m_buckets.clear();
    const qsizetype count = m_range.bucketStarts.size();
    for (const Core::TokenBucket &bucket : buckets) {
        if (bucket.bucket < 0 || bucket.bucket >= count)
            continue;
        QList<qint64> &series = m_buckets[m_rowOfKey.contains(bucket.keyId) ? bucket.keyId : 0];
        series.resize(count);
        series[bucket.bucket] += bucket.tokens;
    }
}

qint64 UsageLedger::rowKeyOf(const Proxy::RequestRecord &record) const
{
    return record.keyId > 0 && m_rowOfKey.contains(record.keyId) ? record.keyId : 0;
}

int UsageLedger::ensureAnonymousRow(bool &appended)
{
    const int existing = rowOf(0);
    if (existing >= 0)
        return existing;
    m_rows.append(Core::KeyUsageSummary{});
    m_rowOfKey.insert(0, int(m_rows.size() - 1));
    appended = true;
    return int(m_rows.size() - 1);
}

bool UsageLedger::wouldAppendRow(const QList<Proxy::RequestRecord> &records) const
{
    if (rowOf(0) >= 0)
        return false;
    return std::any_of(records.cbegin(), records.cend(), [this](const Proxy::RequestRecord &record) {
        return rowKeyOf(record) == 0 && m_range.bucketOf(record.time) >= 0;
    });
}

UsageLedger::Change UsageLedger::add(const QList<Proxy::RequestRecord> &records)
{
    Change change;
    const qsizetype count = m_range.bucketStarts.size();
    for (const Proxy::RequestRecord &record : records) {
        const int bucket = m_range.bucketOf(record.time);
        if (bucket < 0)
            continue; // before the range (or no range loaded yet)
        const qint64 keyId = rowKeyOf(record);
        const int row = keyId > 0 ? rowOf(keyId) : ensureAnonymousRow(change.rowAppended);
        Core::KeyUsageSummary &usage = m_rows[row];
        ++usage.totals.requestCount;
        if (record.status >= 400 || record.outcome != QLatin1String("ok"))
            ++usage.errors;
        usage.lastUsed = std::max(usage.lastUsed, record.time);
        if (record.costMicros)
            usage.totals.costUsd += double(*record.costMicros) / 1e6;
        else if (record.usage && record.usage->total > 0)
            ++usage.unpricedRequests;
        if (record.usage) {
            usage.totals.add(*record.usage);
            QList<qint64> &series = m_buckets[keyId];
            series.resize(count);
            series[bucket] += record.usage->total;
        }
        if (!change.changedRows.contains(row) && !(change.rowAppended && row == m_rows.size() - 1))
            change.changedRows.append(row);
    }
    return change;
}

} // namespace Console
