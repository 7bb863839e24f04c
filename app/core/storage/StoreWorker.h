// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/auth/AuthTrace.h"
#include "proxy/auth/KeySnapshot.h"
#include "proxy/metrics/RequestCount.h"
#include "proxy/metrics/StoreHealth.h"
#include "proxy/policy/HourlyUsage.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/TokenUsage.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace Core {

class Database;

/// Registers the value types StoreWorker/Store send across threads (idempotent).
void registerStoreMetaTypes();

/// The database writer. Lives on its own thread (see Store) and opens its OWN connection there
/// in open(). Request records and auth traces are queued in memory and written in one
/// transaction every flushIntervalMs; a failed write is retried with backoff and reported
/// through writeFailed(), records are kept. It also polls `PRAGMA data_version` (which changes
/// only when another connection commits, e.g. a CLI command) and reports what changed.
class StoreWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreWorker)

public:
    struct Options final
    {
        int flushIntervalMs = 200;
        int pollIntervalMs = 250;
        int maxBackoffMs = 10'000;
        int authRetentionDays = 30;
        int authMaxRows = 100'000;
        int pruneIntervalMs = 60'000;
        int requestLogRetentionDays = 90; ///< 0 = keep every request-log row
        int pruneBatchRows = 5'000;     ///< request-log rows deleted per transaction
        int reclaimPagesPerStep = 256;  ///< pages given back to the file system per vacuum step (1 MiB)
        int maxPending = 200'000; ///< beyond this the oldest records are dropped, and that is reported
    };

    explicit StoreWorker(QString dataDir, Options options, QObject *parent = nullptr);
    explicit StoreWorker(QString dataDir, QObject *parent = nullptr);
    ~StoreWorker() override;

    /// Opens the connection and starts the timers; call on the worker's thread.
    Status open();
    bool isOpen() const;
    qsizetype pendingCount() const { return m_requests.size() + m_traces.size(); }
    int authRetentionDays() const { return m_options.authRetentionDays; }
    /// Queue depth and failed writes, kept current for the proxy's /metrics (read from any thread).
    Proxy::StoreHealthPtr health() const { return m_health; }

    Result<Proxy::KeySnapshotPtr> loadKeys();
    /// Lifetime totals per key id from the request log (written rows only).
    Result<QHash<qint64, Proxy::UsageTotals>> loadUsageBaseline();
    Result<QList<Proxy::HourlyUsage>> loadHourlyUsage();
    /// Request-log rows per route, status and outcome (written rows only).
    Result<QList<Proxy::RequestCount>> loadRequestCounts();

    /// Queues @p records and commits them as soon as this thread is free, together with whatever else
    /// arrived meanwhile (a group commit, not the 200 ms batch); @p durable runs after that commit.
    /// A failed commit keeps them and retries with the usual backoff; @p durable waits for success.
    void appendDurably(const QList<Proxy::RequestRecord> &records, std::function<void()> durable);

public slots:
    void appendRequests(const QList<Proxy::RequestRecord> &records);
    void appendAuthEvents(const QList<Proxy::AuthTrace> &traces);
    /// Writes everything queued now; false (and writeFailed) on failure, records stay queued.
    bool flush();
    /// Final flush (3 attempts, 500 ms apart), stops the timers and closes the connection.
    /// False when records could not be written (reported through writeFailed).
    bool flushAndStop();
    /// Re-reads keys/settings/upstream if data_version moved, and emits what changed.
    void checkForChanges();
    /// Applies the auth-event retention (age and row cap); returns rows removed, -1 on error.
    int pruneAuthEvents();
    /// Keeps auth events for @p days from now on (the `auth-retention-days` setting); a change
    /// prunes at once when the store is open.
    void setAuthRetentionDays(int days);
    /// Starts a request-log pruning pass unless one is running: batches of pruneBatchRows rows, each
    /// its own transaction, then incremental-vacuum steps of reclaimPagesPerStep pages while more
    /// than that are free; a queued call between steps lets writes in, so they wait for one step at
    /// most. requestLogPruned() reports the end of the pass.
    void pruneRequestLog();
    /// Keeps request-log rows for @p days whole UTC days (0 = for good; values below
    /// RequestLogPruner::MinRetentionDays are raised to it); a change starts a pass.
    void setRequestLogRetentionDays(int days);
    /// Replaces the running pool's published state (`account_runtime`); an empty list clears it. A
    /// failure is only logged: the next publication, a few seconds later, writes the whole state again.
    void publishAccountRuntime(const QList<Proxy::AccountRuntimeStatus> &statuses);

signals:
    void writeFailed(const QString &message);
    void flushed(int requests, int authEvents);
    void keysChanged(const Proxy::KeySnapshotPtr &keys);
    void settingsChanged();
    void upstreamChanged();
    /// A pruning pass ended, having deleted @p rows request-log rows.
    void requestLogPruned(int rows);

private:
    QDateTime requestLogCutoff() const;
    void pruneRequestLogBatch();
    void reclaimFreePages();
    void endRequestLogPass(const QString &error = {});
    void onFlushTimer();
    bool inBackoff() const;
    void dropOverflow();
    void noteQueueDepth();
    /// Counts the failure (StoreHealth::failedWrites) and emits writeFailed().
    void reportFailure(const QString &message);
    struct Fingerprints final
    {
        QString keys;
        QString settings;
        QString upstream;
    };
    Result<Fingerprints> readFingerprints();
    qint64 dataVersion();

    QString m_dataDir;
    Options m_options;
    std::unique_ptr<Database> m_database;
    QTimer *m_flushTimer = nullptr; // children of this, created on the worker thread in open()
    QTimer *m_pollTimer = nullptr;
    QList<Proxy::RequestRecord> m_requests;
    QList<Proxy::AuthTrace> m_traces;
    QList<std::function<void()>> m_durableAcks; ///< run after the next successful flush
    bool m_durableFlushQueued = false;
    int m_backoffMs = 0;
    QElapsedTimer m_sinceFailure;
    QElapsedTimer m_sincePrune;
    bool m_requestLogPruning = false;
    int m_requestLogPruned = 0;   ///< rows deleted by the running pass
    bool m_pruneAgain = false;    ///< a pass was asked for while one ran
    qint64 m_pruneUpToId = 0;     ///< the highest old row id when the pass started
    qint64 m_dataVersion = -1;
    Fingerprints m_fingerprints;
    Proxy::StoreHealthPtr m_health = std::make_shared<Proxy::StoreHealth>();
};

} // namespace Core
