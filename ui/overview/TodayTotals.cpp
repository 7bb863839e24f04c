// SPDX-License-Identifier: MIT
#include "ui/overview/TodayTotals.h"

#include "ui/common/LimitText.h"

#include <QCoreApplication>

namespace Console {

QDateTime TodayTotals::startOf(const QDate &day)
{
    return QDateTime(day, QTime(0, 0)).toUTC();
}

void TodayTotals::reset(const QDate &day, const Core::DayTotals &baseline, QSet<QString> alreadyCounted)
{
    m_day = day;
    m_since = startOf(day);
    m_totals = baseline;
    m_alreadyCounted = std::move(alreadyCounted);
}

bool TodayTotals::add(const QList<Proxy::RequestRecord> &records)
{
    bool counted = false;
    for (const Proxy::RequestRecord &record : records) {
        if (record.time < m_since || m_alreadyCounted.remove(record.requestId))
            continue;
        ++m_totals.requests;
        if (record.usage) {
            m_totals.tokens += record.usage->total;
            if (record.costMicros)
                m_totals.costMicros += *record.costMicros;
            else if (record.usage->total > 0)
                ++m_totals.unpricedRequests;
        }
        counted = true;
    }
    return counted;
}

QString TodayTotals::costText(const Core::DayTotals &totals)
{
    const QString priced = LimitText::amount(Proxy::LimitType::CostMicros, totals.costMicros);
    if (totals.unpricedRequests == 0)
        return priced;
    if (totals.costMicros == 0)
        return QCoreApplication::translate("TodayTotals", "unknown");
    return QCoreApplication::translate("TodayTotals", "%1 + unknown").arg(priced);
}

} // namespace Console
