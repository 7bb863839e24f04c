// SPDX-License-Identifier: MIT
#include "app/core/storage/StoreRecordJournal.h"

#include "app/core/storage/StoreWorker.h"

namespace Core {

StoreRecordJournal::StoreRecordJournal(StoreWorker *worker) : m_worker(worker) {}

void StoreRecordJournal::append(const QList<Proxy::RequestRecord> &records, std::function<void()> durable)
{
    StoreWorker *worker = m_worker.data();
    if (!worker)
        return;
    QMetaObject::invokeMethod(
        worker, [worker, records, durable = std::move(durable)]() mutable { worker->appendDurably(records, std::move(durable)); },
        Qt::QueuedConnection);
}

} // namespace Core
