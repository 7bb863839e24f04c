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
    /// The highest id among rows older than @p cutoff, 0 when there are none. Reads the
    /// (key_id, time) index per key, so it never scans the table.
    Result<qint64> lastPrunableId(const QDateTime &cutoff);
    /// Deletes at most @p maxRows rows older than @p cutoff with an id up to @p lastId, lowest ids
    /// first (rows are written in time order, so the pages they share are freed together), in one
    /// transaction; returns the count. The id bound keeps the scan from running past the old rows.
    /// The batch's requests per route label, status and outcome are added to request_counts_pruned
    /// in the same transaction (keygate_requests_total starts from them).
    Result<int> pruneBatch(const QDateTime &cutoff, qint64 lastId, int maxRows);
    /// Free pages in the file (left by pruning, reused by new rows or reclaimed).
    Result<qint64> freePages();
    /// Returns up to @p pages free pages to the file system (a no-op unless auto_vacuum is incremental).
    Status reclaim(int pages);
    /// Switches a database made before auto_vacuum was set (mode NONE) to INCREMENTAL, which takes
    /// one VACUUM: call it before the proxy serves. Does nothing when already incremental.
    Status enableIncrementalVacuum();

private:
    /// pruneBatch()'s work inside its transaction; @p before is the cutoff as stored.
    Result<int> countAndDelete(const QString &before, qint64 lastId, int maxRows);

    QSqlDatabase m_db;
};

} // namespace Core
