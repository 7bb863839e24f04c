// SPDX-License-Identifier: MIT
#include "app/core/storage/DayTotalsQuery.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

DayTotalsQuery::DayTotalsQuery(QSqlDatabase db) : m_db(std::move(db)) {}

Result<DayTotals> DayTotalsQuery::since(const QDateTime &since) const
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query,
        QStringLiteral(
            "SELECT COUNT(*), COALESCE(SUM(total_tokens), 0), COALESCE(SUM(cost_micros), 0),"
            " COALESCE(SUM(CASE WHEN total_tokens > 0 AND cost_micros IS NULL THEN 1 ELSE 0 END), 0)"
            " FROM request_log WHERE time >= ?"),
        {Sql::toDbTime(since)});
    if (!status)
        return Result<DayTotals>::failure(status);
    DayTotals totals;
    if (query.next()) {
        totals.requests = query.value(0).toLongLong();
        totals.tokens = query.value(1).toLongLong();
        totals.costMicros = query.value(2).toLongLong();
        totals.unpricedRequests = query.value(3).toLongLong();
    }
    return totals;
}

} // namespace Core
