// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RecordJournal.h"

#include <QPointer>

namespace Core {

class StoreWorker;

/// The proxy's RecordJournal: hands records straight from the proxy thread to the store thread
/// (never through the main thread), where StoreWorker commits them at once (a group commit with
/// whatever else is waiting) and acknowledges. The store must outlive the proxy that uses this
/// (ProxyRuntime stops the proxy first).
class StoreRecordJournal final : public Proxy::RecordJournal
{
public:
    explicit StoreRecordJournal(StoreWorker *worker);
    void append(const QList<Proxy::RequestRecord> &records, std::function<void()> durable) override;

private:
    QPointer<StoreWorker> m_worker;
};

} // namespace Core
