// SPDX-License-Identifier: MIT
#pragma once

#include <QMutex>
#include <QObject>

#include <functional>

namespace Proxy {

/// Carries a RecordJournal's "durable" acknowledgements from the journal's thread back to the proxy
/// thread, for as long as the proxy server lives; after detach() they are dropped (nothing waits for
/// them any more). Shared by both threads, hence the lock.
class JournalAcks final
{
    Q_DISABLE_COPY_MOVE(JournalAcks)

public:
    explicit JournalAcks(QObject *target) : m_target(target) {}

    /// Called by the target's destructor, on its thread.
    void detach()
    {
        QMutexLocker lock(&m_mutex);
        m_target = nullptr;
    }

    /// Any thread: queues @p ack to run on the target's thread.
    void post(std::function<void()> ack)
    {
        QMutexLocker lock(&m_mutex);
        if (m_target)
            QMetaObject::invokeMethod(m_target, std::move(ack), Qt::QueuedConnection);
    }

private:
    QMutex m_mutex;
    QObject *m_target;
};

} // namespace Proxy
