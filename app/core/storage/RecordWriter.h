// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/auth/AuthTrace.h"
#include "proxy/relay/RequestRecord.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>

namespace Core {

/// The SQL of the write-behind path: request-log rows with their daily rollup, auth events,
/// keys.last_used_at and the auth-event retention. Used by StoreWorker on its own connection.
class RecordWriter final
{
public:
    explicit RecordWriter(QSqlDatabase db);

    /// Everything in one transaction: all rows are written or none.
    Status write(const QList<Proxy::RequestRecord> &requests, const QList<Proxy::AuthTrace> &traces);
    /// Deletes auth events older than @p cutoff, then all but the newest @p maxRows; returns the count.
    Result<int> pruneAuthEvents(const QDateTime &cutoff, int maxRows);

    /// The steps as JSON; never contains a plaintext key (steps hold masked values only).
    static QString stepsJson(const Proxy::AuthTrace &trace);
    /// Inserts @p traces in the caller's transaction (a usage reset writes its trace row with its change).
    Status insertAuthEvents(const QList<Proxy::AuthTrace> &traces);

private:
    Status insertRequests(const QList<Proxy::RequestRecord> &requests);
    Status touchLastUsed(const QList<Proxy::RequestRecord> &requests);
    Result<qint64> lastRequestRowId();
    /// Adds the request_log rows with an id above @p rowId to the daily rollup (`usage_daily`).
    Status rollUpAfter(qint64 rowId);

    QSqlDatabase m_db;
};

} // namespace Core
