// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include "app/core/storage/DayTotalsQuery.h"

#include <QDate>
#include <QSet>

namespace Console {

/// Today's requests, tokens and cost: the request log's totals since local midnight, read once, plus
/// the live request records folded in memory. At midnight it starts again from zero (everything after
/// midnight arrives live). Plain class, GUI thread.
class TodayTotals final
{
public:
    /// Starts the day @p day (local) with @p baseline; records whose id is in @p alreadyCounted are
    /// skipped once (the baseline read them while their batch was on its way).
    void reset(const QDate &day, const Core::DayTotals &baseline, QSet<QString> alreadyCounted = {});
    /// Adds the records of the current day; false when none counted.
    bool add(const QList<Proxy::RequestRecord> &records);

    const QDate &day() const { return m_day; }
    const Core::DayTotals &totals() const { return m_totals; }

    /// "$1.25"; "unknown" when tokens were used by models without a price and nothing was priced;
    /// "$1.25 + unknown" when both. Never "$0.00" for unpriced usage.
    static QString costText(const Core::DayTotals &totals);
    /// UTC start of local day @p day.
    static QDateTime startOf(const QDate &day);

private:
    QDate m_day;
    QDateTime m_since;
    Core::DayTotals m_totals;
    QSet<QString> m_alreadyCounted;
};

} // namespace Console
