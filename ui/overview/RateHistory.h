// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include <QList>

namespace Console {

/// Requests per second over the last ten minutes, counted by the second each request arrived, from
/// the runtime's batched request records (the feed of RequestRateMeter). Plain class, GUI thread.
class RateHistory final
{
public:
    static constexpr int Seconds = 600;

    RateHistory();

    void add(const QList<Proxy::RequestRecord> &records, qint64 nowSecs);
    /// Seconds values, oldest first, the last one for @p nowSecs.
    QList<int> series(qint64 nowSecs) const;
    /// Requests in the last ten minutes before @p nowSecs.
    qint64 total(qint64 nowSecs) const;

private:
    void advance(qint64 nowSecs);
    int count(qint64 second) const;

    QList<int> m_counts; // ring indexed by second % Seconds
    qint64 m_latest = 0; // the newest second the ring holds
};

} // namespace Console
