// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/JournalAcks.h"
#include "proxy/relay/RecordJournal.h"
#include "proxy/relay/RequestRecord.h"

#include <QElapsedTimer>
#include <QList>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

namespace Proxy {

/// Where the proxy's finished records go: each to the RecordJournal at once (when there is one), and
/// all of them into a batch for ProxyServer::requestsRecorded (the console). A record whose response is
/// held (RecordSink's `durable`) is released when the journal acknowledges it, or after the hold bound,
/// whichever comes first. Lives on the proxy thread; @p context (the server) runs the releases.
class RecordOutbox final
{
    Q_DISABLE_COPY_MOVE(RecordOutbox)

public:
    explicit RecordOutbox(QObject *context);
    ~RecordOutbox(); ///< acknowledgements that arrive later are dropped

    void setJournal(std::shared_ptr<RecordJournal> journal, int holdMs);
    void add(const RequestRecord &record, std::function<void()> durable);
    QList<RequestRecord> takeBatch() { return std::exchange(m_batch, {}); }
    bool hasBatch() const { return !m_batch.isEmpty(); }

private:
    using Release = std::shared_ptr<std::function<void()>>; ///< emptied once it ran
    void releaseExpired();

    // One timer for every hold (they all last m_holdMs, so deadlines queue in order): a timer per
    // response would cost the proxy thread thousands of live timers at a few thousand requests/s.
    QTimer m_holdTimer;
    QElapsedTimer m_clock;
    std::deque<std::pair<qint64, Release>> m_holds; ///< deadline (m_clock ms), release
    std::shared_ptr<JournalAcks> m_acks;
    std::shared_ptr<RecordJournal> m_journal;
    int m_holdMs = 2'000;
    QList<RequestRecord> m_batch;
};

} // namespace Proxy
