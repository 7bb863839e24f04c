// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/StoreWorker.h"

#include <QObject>
#include <QThread>

namespace Core {

/// Main-thread facade that owns the store thread and its StoreWorker. Appends are queued to the
/// worker; start(), loadKeys(), loadUsageBaseline() and flushAndStop() block until the worker
/// has answered. The worker's signals are re-emitted here (on the main thread).
class Store final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Store)

public:
    explicit Store(const QString &dataDir, StoreWorker::Options options = {}, QObject *parent = nullptr);
    ~Store() override; ///< flushAndStop() if still running

    /// Starts the thread and opens the worker's connection there.
    Status start();
    bool isRunning() const { return m_running; }
    /// Final flush, then stops and joins the thread. False when records were left unwritten.
    bool flushAndStop();

    void appendRequests(const QList<Proxy::RequestRecord> &records);
    void appendAuthEvents(const QList<Proxy::AuthTrace> &traces);
    void flush();
    /// Queued: the worker keeps auth events for @p days (and prunes at once when that changed).
    void setAuthRetentionDays(int days);
    /// Queued: the worker keeps request-log rows for @p days (0 = for good) and prunes when that changed.
    void setRequestLogRetentionDays(int days);

    Result<Proxy::KeySnapshotPtr> loadKeys();
    Result<QHash<qint64, Proxy::UsageTotals>> loadUsageBaseline();
    /// The last 30 days of usage per key, model and hour: what the limit counters start from.
    Result<QList<Proxy::HourlyUsage>> loadHourlyUsage();
    /// Request-log rows per route, status and outcome: where `keygate_requests_total` starts.
    Result<QList<Proxy::RequestCount>> loadRequestCounts();
    /// Queued: replaces the running pool's published state (`account_runtime`); empty = clear it.
    void publishAccountRuntime(const QList<Proxy::AccountRuntimeStatus> &statuses);

    /// For direct queued connections (e.g. ProxyController::requestsRecorded → appendRequests).
    StoreWorker *worker() const { return m_worker; }

signals:
    void writeFailed(const QString &message);
    void keysChanged(const Proxy::KeySnapshotPtr &keys);
    void settingsChanged();
    void upstreamChanged();

private:
    QThread m_thread;
    StoreWorker *m_worker = nullptr; // lives on m_thread; deleted there when the thread finishes
    bool m_running = false;
};

} // namespace Core
