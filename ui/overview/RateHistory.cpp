// SPDX-License-Identifier: MIT
#include "ui/overview/RateHistory.h"

namespace Console {

RateHistory::RateHistory() : m_counts(Seconds, 0) {}

void RateHistory::advance(qint64 nowSecs)
{
    if (nowSecs <= m_latest)
        return;
    // Seconds that passed without a request are zero; after ten quiet minutes all of them are.
    for (qint64 second = qMax(m_latest + 1, nowSecs - Seconds + 1); second <= nowSecs; ++second)
        m_counts[int(second % Seconds)] = 0;
    m_latest = nowSecs;
}

void RateHistory::add(const QList<Proxy::RequestRecord> &records, qint64 nowSecs)
{
    for (const Proxy::RequestRecord &record : records)
        advance(qMax(nowSecs, record.time.toSecsSinceEpoch()));
    for (const Proxy::RequestRecord &record : records) {
        const qint64 second = record.time.toSecsSinceEpoch();
        if (second > m_latest - Seconds)
            ++m_counts[int(second % Seconds)];
    }
}

int RateHistory::count(qint64 second) const
{
    // The ring may be behind the clock (no records lately): those seconds were quiet.
    if (second > m_latest || second <= m_latest - Seconds)
        return 0;
    return m_counts.at(int(second % Seconds));
}

QList<int> RateHistory::series(qint64 nowSecs) const
{
    QList<int> values;
    values.reserve(Seconds);
    for (qint64 second = nowSecs - Seconds + 1; second <= nowSecs; ++second)
        values.append(count(second));
    return values;
}

qint64 RateHistory::total(qint64 nowSecs) const
{
    qint64 sum = 0;
    for (const int value : series(nowSecs))
        sum += value;
    return sum;
}

} // namespace Console
