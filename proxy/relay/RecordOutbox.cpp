// SPDX-License-Identifier: MIT
#include "proxy/relay/RecordOutbox.h"

namespace Proxy {

namespace {

constexpr int HoldCheckMs = 50;

} // namespace

RecordOutbox::RecordOutbox(QObject *context) : m_acks(std::make_shared<JournalAcks>(context))
{
    m_holdTimer.setParent(context); // moves to the proxy thread with it
    m_holdTimer.setInterval(HoldCheckMs);
    QObject::connect(&m_holdTimer, &QTimer::timeout, context, [this] { releaseExpired(); });
    m_clock.start();
}

RecordOutbox::~RecordOutbox()
{
    m_acks->detach();
}

void RecordOutbox::setJournal(std::shared_ptr<RecordJournal> journal, int holdMs)
{
    m_journal = std::move(journal);
    m_holdMs = holdMs;
}

void RecordOutbox::add(const RequestRecord &record, std::function<void()> durable)
{
    m_batch.append(record);
    if (!m_journal) {
        if (durable)
            durable();
        return;
    }
    if (!durable) {
        m_journal->append({record}, {});
        return;
    }
    // A store that keeps failing must not stall clients: it keeps the record and retries, and the
    // held bytes go out after the bound.
    auto pending = std::make_shared<std::function<void()>>(std::move(durable));
    m_holds.emplace_back(m_clock.elapsed() + m_holdMs, pending);
    if (!m_holdTimer.isActive())
        m_holdTimer.start();
    m_journal->append({record}, [acks = m_acks, pending] {
        acks->post([pending] {
            if (*pending)
                std::exchange(*pending, {})();
        });
    });
}

void RecordOutbox::releaseExpired()
{
    const qint64 now = m_clock.elapsed();
    while (!m_holds.empty() && (m_holds.front().first <= now || !*m_holds.front().second)) {
        const Release release = std::move(m_holds.front().second);
        m_holds.pop_front();
        if (*release)
            std::exchange(*release, {})();
    }
    if (m_holds.empty())
        m_holdTimer.stop();
}

} // namespace Proxy
