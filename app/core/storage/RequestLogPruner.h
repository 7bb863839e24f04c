// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace Core {

/// The SQL of the request-log retention: deletes old `request_log` rows in small transactions and
/// gives the freed pages back to the file system (incremental vacuum). The daily rollup
/// (`usage_daily`) is never touched: it was written with the rows. Used by StoreWorker on the
/// store thread, which yields between batches.
class RequestLogPruner final
{
public:
    /// The shortest retention: the longest limit window (30 days) and the console's 30-day view
    /// read request_log rows, so at least 31 whole UTC days are kept.
    static constexpr int MinRetentionDays = 31;

    explicit RequestLogPruner(QSqlDatabase db);

    /// Rows before this go: UTC midnight @p retentionDays days before @p now's UTC day.
    static QDateTime cutoff(int retentionDays, const QDateTime &now);
    /// Deletes at most @p maxRows rows older than @p cutoff in one transaction; returns the count.
    /// Walks the (key_id, time) index per key, so it never scans the table.
    Result<int> pruneBatch(const QDateTime &cutoff, int maxRows);
    /// Returns up to @p pages free pages to the file system (a no-op unless auto_vacuum is incremental).
    Status reclaim(int pages);
    /// Switches a database made before auto_vacuum was set (mode NONE) to INCREMENTAL, which takes
    /// one VACUUM: call it before the proxy serves. Does nothing when already incremental.
    Status enableIncrementalVacuum();

private:
    QSqlDatabase m_db;
};

} // namespace Core
