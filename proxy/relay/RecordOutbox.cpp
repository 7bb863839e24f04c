// SPDX-License-Identifier: MIT
#include "proxy/relay/RecordOutbox.h"

#include <QTimer>

namespace Proxy {

RecordOutbox::RecordOutbox(QObject *context) : m_context(context), m_acks(std::make_shared<JournalAcks>(context)) {}

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
    const auto release = [pending] {
        if (*pending)
            std::exchange(*pending, {})();
    };
    QTimer::singleShot(m_holdMs, m_context, release);
    m_journal->append({record}, [acks = m_acks, release] { acks->post(release); });
}

} // namespace Proxy
