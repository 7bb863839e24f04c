// SPDX-License-Identifier: MIT
#include "app/core/storage/StoreWorker.h"

#include "app/core/services/KeySnapshotBuilder.h"
#include "app/core/storage/AccountRuntimeRepository.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/RequestLogPruner.h"
#include "app/core/storage/SqlUtil.h"
#include "app/core/storage/UsageRepository.h"

#include "proxy/policy/WindowLedger.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>
#include <QTimer>

namespace Core {

void registerStoreMetaTypes()
{
    qRegisterMetaType<Proxy::RequestRecord>("Proxy::RequestRecord");
    qRegisterMetaType<QList<Proxy::RequestRecord>>("QList<Proxy::RequestRecord>");
    qRegisterMetaType<Proxy::AuthTrace>("Proxy::AuthTrace");
    qRegisterMetaType<QList<Proxy::AuthTrace>>("QList<Proxy::AuthTrace>");
    qRegisterMetaType<Proxy::KeySnapshotPtr>("Proxy::KeySnapshotPtr");
    qRegisterMetaType<QHash<qint64, Proxy::UsageTotals>>("QHash<qint64,Proxy::UsageTotals>");
}

StoreWorker::StoreWorker(QString dataDir, Options options, QObject *parent)
    : QObject(parent), m_dataDir(std::move(dataDir)), m_options(options)
{
    registerStoreMetaTypes();
}

StoreWorker::StoreWorker(QString dataDir, QObject *parent) : StoreWorker(std::move(dataDir), Options(), parent) {}

StoreWorker::~StoreWorker() = default;

bool StoreWorker::isOpen() const
{
    return m_database && m_database->isOpen();
}

Status StoreWorker::open()
{
    auto database = std::make_unique<Database>();
    if (const Status status = database->open(m_dataDir); !status)
        return status;
    m_database = std::move(database);
    // Once per database made before auto_vacuum was set: a VACUUM, before the proxy serves.
    if (const Status vacuum = RequestLogPruner(m_database->connection()).enableIncrementalVacuum(); !vacuum)
        qWarning("keygate: the database stays without incremental vacuum for now: %s", qUtf8Printable(vacuum.error()));
    m_dataVersion = dataVersion();
    const Result<Fingerprints> fingerprints = readFingerprints();
    if (!fingerprints)
        return fingerprints.status();
    m_fingerprints = fingerprints.value();

    m_flushTimer = new QTimer(this);
    m_flushTimer->setInterval(m_options.flushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &StoreWorker::onFlushTimer);
    m_flushTimer->start();
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(m_options.pollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &StoreWorker::checkForChanges);
    m_pollTimer->start();
    m_sincePrune.start();
    return Status::success();
}

Result<Proxy::KeySnapshotPtr> StoreWorker::loadKeys()
{
    if (!isOpen())
        return Result<Proxy::KeySnapshotPtr>::failure(QStringLiteral("the store is not open"));
    return KeySnapshotBuilder::load(m_database->connection());
}

Result<QHash<qint64, Proxy::UsageTotals>> StoreWorker::loadUsageBaseline()
{
    if (!isOpen())
        return Result<QHash<qint64, Proxy::UsageTotals>>::failure(QStringLiteral("the store is not open"));
    return UsageRepository(m_database->connection()).totalsByKey();
}

Result<QList<Proxy::RequestCount>> StoreWorker::loadRequestCounts()
{
    if (!isOpen())
        return Result<QList<Proxy::RequestCount>>::failure(QStringLiteral("the store is not open"));
    return UsageRepository(m_database->connection()).requestCounts();
}

Result<QList<Proxy::HourlyUsage>> StoreWorker::loadHourlyUsage()
{
    if (!isOpen())
        return Result<QList<Proxy::HourlyUsage>>::failure(QStringLiteral("the store is not open"));
    const QDateTime since = QDateTime::currentDateTimeUtc().addSecs(-Proxy::WindowLedger::RetainedHours * 3600);
    return KeyLimitRepository(m_database->connection()).hourlyUsageSince(since);
}

void StoreWorker::appendRequests(const QList<Proxy::RequestRecord> &records)
{
    m_requests.append(records);
    dropOverflow();
    noteQueueDepth();
}

void StoreWorker::appendDurably(const QList<Proxy::RequestRecord> &records, std::function<void()> durable)
{
    if (durable)
        m_durableAcks.append(std::move(durable));
    appendRequests(records);
    if (m_durableFlushQueued)
        return;
    // Queued behind the appends already waiting, so one commit takes all of them.
    m_durableFlushQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_durableFlushQueued = false;
            if (!inBackoff())
                flush();
        },
        Qt::QueuedConnection);
}

bool StoreWorker::inBackoff() const
{
    return m_backoffMs > 0 && m_sinceFailure.isValid() && m_sinceFailure.elapsed() < m_backoffMs;
}

void StoreWorker::appendAuthEvents(const QList<Proxy::AuthTrace> &traces)
{
    m_traces.append(traces);
    dropOverflow();
    noteQueueDepth();
}

void StoreWorker::noteQueueDepth()
{
    m_health->queueDepth.store(pendingCount(), std::memory_order_relaxed);
}

void StoreWorker::reportFailure(const QString &message)
{
    m_health->failedWrites.fetch_add(1, std::memory_order_relaxed);
    emit writeFailed(message);
}

void StoreWorker::dropOverflow()
{
    const qsizetype excess = pendingCount() - m_options.maxPending;
    if (excess <= 0)
        return;
    // Auth events are the less valuable of the two; drop the oldest of those first.
    const qsizetype traces = qMin(excess, m_traces.size());
    m_traces.remove(0, traces);
    const qsizetype requests = excess - traces;
    m_requests.remove(0, requests);
    reportFailure(QStringLiteral("the database has not accepted writes for a while; dropped %1 request "
                                    "records and %2 auth events")
                         .arg(requests)
                         .arg(traces));
}

bool StoreWorker::flush()
{
    if (pendingCount() == 0)
        return true;
    if (!isOpen()) {
        reportFailure(QStringLiteral("the store is not open; %1 records are waiting").arg(pendingCount()));
        return false;
    }
    const Status status = RecordWriter(m_database->connection()).write(m_requests, m_traces);
    if (!status) {
        m_backoffMs = qMin(m_backoffMs == 0 ? m_options.flushIntervalMs * 2 : m_backoffMs * 2, m_options.maxBackoffMs);
        m_sinceFailure.start();
        reportFailure(QStringLiteral("%1 (%2 records kept, retrying in %3 ms)")
                             .arg(status.error())
                             .arg(pendingCount())
                             .arg(m_backoffMs));
        return false;
    }
    const int requests = int(m_requests.size());
    const int traces = int(m_traces.size());
    m_requests.clear();
    m_traces.clear();
    noteQueueDepth();
    m_backoffMs = 0;
    for (const std::function<void()> &durable : std::exchange(m_durableAcks, {}))
        durable();
    emit flushed(requests, traces);
    return true;
}

void StoreWorker::onFlushTimer()
{
    if (inBackoff())
        return;
    flush();
    if (m_sincePrune.isValid() && m_sincePrune.elapsed() >= m_options.pruneIntervalMs) {
        pruneAuthEvents();
        pruneRequestLog();
        m_sincePrune.restart();
    }
}

bool StoreWorker::flushAndStop()
{
    if (m_flushTimer)
        m_flushTimer->stop();
    if (m_pollTimer)
        m_pollTimer->stop();
    bool written = pendingCount() == 0;
    for (int attempt = 0; attempt < 3 && !written; ++attempt) {
        if (attempt > 0)
            QThread::msleep(500);
        written = flush();
    }
    if (!written)
        reportFailure(QStringLiteral("shutting down with %1 records that could not be written").arg(pendingCount()));
    m_database.reset();
    return written;
}

int StoreWorker::pruneAuthEvents()
{
    if (!isOpen())
        return -1;
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-m_options.authRetentionDays);
    const Result<int> removed = RecordWriter(m_database->connection()).pruneAuthEvents(cutoff, m_options.authMaxRows);
    if (!removed) {
        reportFailure(QStringLiteral("auth-event retention failed: %1").arg(removed.error()));
        return -1;
    }
    return removed.value();
}

void StoreWorker::setAuthRetentionDays(int days)
{
    if (days <= 0 || days == m_options.authRetentionDays)
        return;
    m_options.authRetentionDays = days;
    if (isOpen())
        pruneAuthEvents();
}

void StoreWorker::pruneRequestLog()
{
    if (m_requestLogPruning)
        m_pruneAgain = true; // e.g. a shorter retention arrived: another pass with the new cutoff
    if (!isOpen() || m_requestLogPruning || m_options.requestLogRetentionDays <= 0)
        return;
    m_pruneAgain = false;
    const Result<qint64> last = RequestLogPruner(m_database->connection()).lastPrunableId(requestLogCutoff());
    if (!last) {
        emit writeFailed(QStringLiteral("request-log retention failed: %1").arg(last.error()));
        return;
    }
    m_requestLogPruning = true;
    m_requestLogPruned = 0;
    m_pruneUpToId = last.value();
    if (m_pruneUpToId > 0)
        pruneRequestLogBatch();
    else
        endRequestLogPass();
}

QDateTime StoreWorker::requestLogCutoff() const
{
    const int days = qMax(m_options.requestLogRetentionDays, RequestLogPruner::MinRetentionDays);
    return RequestLogPruner::cutoff(days, QDateTime::currentDateTimeUtc());
}

void StoreWorker::pruneRequestLogBatch()
{
    if (!isOpen())
        return endRequestLogPass(QStringLiteral("the store closed"));
    if (m_options.requestLogRetentionDays <= 0) // "keep everything" arrived during the pass
        return endRequestLogPass();
    // The cutoff is read again: a longer retention set during the pass protects its rows at once.
    const Result<int> removed = RequestLogPruner(m_database->connection())
                                    .pruneBatch(requestLogCutoff(), m_pruneUpToId, m_options.pruneBatchRows);
    if (!removed)
        return endRequestLogPass(removed.error());
    m_requestLogPruned += removed.value();
    // Behind whatever arrived meanwhile (appends, durable flushes): they wait one batch at most.
    if (removed.value() < m_options.pruneBatchRows)
        QMetaObject::invokeMethod(this, &StoreWorker::reclaimFreePages, Qt::QueuedConnection);
    else
        QMetaObject::invokeMethod(this, &StoreWorker::pruneRequestLogBatch, Qt::QueuedConnection);
}

void StoreWorker::reclaimFreePages()
{
    if (!isOpen())
        return endRequestLogPass(QStringLiteral("the store closed"));
    // A few free pages are kept: new rows reuse them, so vacuuming them would only move pages twice.
    RequestLogPruner pruner(m_database->connection());
    const Result<qint64> free = pruner.freePages();
    if (!free)
        return endRequestLogPass(free.error());
    if (free.value() <= m_options.reclaimPagesPerStep)
        return endRequestLogPass();
    if (const Status reclaimed = pruner.reclaim(m_options.reclaimPagesPerStep); !reclaimed)
        return endRequestLogPass(reclaimed.error());
    QMetaObject::invokeMethod(this, &StoreWorker::reclaimFreePages, Qt::QueuedConnection);
}

void StoreWorker::endRequestLogPass(const QString &error)
{
    m_requestLogPruning = false;
    if (!error.isEmpty()) {
        emit writeFailed(QStringLiteral("request-log retention failed: %1").arg(error));
        return;
    }
    emit requestLogPruned(m_requestLogPruned);
    if (m_pruneAgain)
        QMetaObject::invokeMethod(this, &StoreWorker::pruneRequestLog, Qt::QueuedConnection);
}

void StoreWorker::setRequestLogRetentionDays(int days)
{
    if (days < 0 || days == m_options.requestLogRetentionDays)
        return;
    m_options.requestLogRetentionDays = days;
    pruneRequestLog();
}

qint64 StoreWorker::dataVersion()
{
    QSqlQuery query(m_database->connection());
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

Result<StoreWorker::Fingerprints> StoreWorker::readFingerprints()
{
    // last_used_at is left out: only this connection writes it, and it is not configuration. A key's
    // policy (allowlists, key_limits) is part of the key snapshot, so it is part of its fingerprint.
    const QStringList sources = {
        QStringLiteral("SELECT id, name, key_hash, enabled, expires_at, allowed_models, allowed_efforts"
                       " FROM keys ORDER BY id"),
        QStringLiteral("SELECT name, value FROM settings ORDER BY name"),
        QStringLiteral("SELECT id, name, kind, base_url, chatgpt_account_id, state, priority, updated_at"
                       " FROM accounts ORDER BY id"),
        QStringLiteral("SELECT id, key_id, limit_type, limit_window, max_value, model_filter, counted_from,"
                       " counted_offset FROM key_limits ORDER BY id")};
    Fingerprints fingerprints;
    QString *targets[] = {&fingerprints.keys, &fingerprints.settings, &fingerprints.upstream, &fingerprints.keys};
    for (int i = 0; i < sources.size(); ++i) {
        QSqlQuery query(m_database->connection());
        if (const Status status = Sql::exec(query, sources.at(i)); !status)
            return Result<Fingerprints>::failure(status);
        QStringList rows;
        while (query.next()) {
            QStringList fields;
            for (int column = 0; column < query.record().count(); ++column)
                fields.append(query.value(column).isNull() ? QStringLiteral("\\N") : query.value(column).toString());
            rows.append(fields.join(u'\x1f'));
        }
        *targets[i] += u'\x1d' + rows.join(u'\x1e');
    }
    return fingerprints;
}

void StoreWorker::checkForChanges()
{
    if (!isOpen())
        return;
    const qint64 version = dataVersion();
    if (version == m_dataVersion)
        return;
    const Result<Fingerprints> current = readFingerprints();
    if (!current)
        return; // e.g. busy: the version stays unseen, so the next poll tries again
    Proxy::KeySnapshotPtr keys;
    if (current.value().keys != m_fingerprints.keys) {
        const Result<Proxy::KeySnapshotPtr> loaded = loadKeys();
        if (!loaded)
            return;
        keys = loaded.value();
    }
    m_dataVersion = version;
    const Fingerprints previous = m_fingerprints;
    m_fingerprints = current.value();
    if (keys)
        emit keysChanged(keys);
    if (current.value().settings != previous.settings)
        emit settingsChanged();
    if (current.value().upstream != previous.upstream)
        emit upstreamChanged();
}

void StoreWorker::publishAccountRuntime(const QList<Proxy::AccountRuntimeStatus> &statuses)
{
    if (!isOpen())
        return;
    const Status published =
        AccountRuntimeRepository(m_database->connection()).publish(statuses, QDateTime::currentDateTimeUtc());
    if (!published)
        qWarning("keygate: could not publish the account pool's state: %s", qUtf8Printable(published.error()));
}

} // namespace Core
