// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include "app/core/storage/UsageQueries.h"

#include "ui/usage/UsageRange.h"

#include <QHash>
#include <QList>

namespace Console {

/// The usage page's numbers in memory: per-key rows and per-key token buckets for one range,
/// loaded from the database and then kept current by folding in the proxy's request records, so
/// that no SQL runs per request. Row order: keys by id, then the anonymous row (keyId 0) when
/// there is such traffic. Plain class, GUI thread.
class UsageLedger final
{
public:
    struct Change final
    {
        QList<int> changedRows;   ///< existing rows whose numbers changed
        bool rowAppended = false; ///< the anonymous row appeared (it is the last row)
        bool isEmpty() const { return changedRows.isEmpty() && !rowAppended; }
    };

    void reset(const UsageRange &range, QList<Core::KeyUsageSummary> rows,
               const QList<Core::TokenBucket> &buckets);
    /// Adds the records that fall in the range; records of unknown or no keys go to the anonymous row.
    Change add(const QList<Proxy::RequestRecord> &records);
    /// Whether add(@p records) would append the anonymous row.
    bool wouldAppendRow(const QList<Proxy::RequestRecord> &records) const;

    const UsageRange &range() const { return m_range; }
    const QList<Core::KeyUsageSummary> &rows() const { return m_rows; }
    /// -1 when there is no row for @p keyId.
    int rowOf(qint64 keyId) const { return m_rowOfKey.value(keyId, -1); }
    /// The keyId of the row @p record is counted in (0: anonymous).
    qint64 rowKeyOf(const Proxy::RequestRecord &record) const;
    /// Total tokens per bucket of the row's key (one entry per bucket start); empty when none.
    QList<qint64> tokensPerBucket(qint64 keyId) const { return m_buckets.value(keyId); }

private:
    int ensureAnonymousRow(bool &appended);

    UsageRange m_range;
    QList<Core::KeyUsageSummary> m_rows;
    QHash<qint64, int> m_rowOfKey;
    QHash<qint64, QList<qint64>> m_buckets;
};

} // namespace Console
