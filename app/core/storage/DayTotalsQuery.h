// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace Core {

/// Every request since a moment, summed: what the console's overview shows for "today".
struct DayTotals final
{
    qint64 requests = 0;
    qint64 tokens = 0;           ///< total_tokens of the requests whose usage was reported
    qint64 costMicros = 0;       ///< USD × 10⁶ of the priced requests
    qint64 unpricedRequests = 0; ///< requests with tokens but no price (their model is not in the table)

    bool operator==(const DayTotals &) const = default;
};

/// One aggregate query over `request_log`, run once when the overview opens (live records are
/// added in memory afterwards). Use it on the thread that opened the connection.
class DayTotalsQuery final
{
public:
    explicit DayTotalsQuery(QSqlDatabase db);

    Result<DayTotals> since(const QDateTime &since) const;

private:
    QSqlDatabase m_db;
};

} // namespace Core
