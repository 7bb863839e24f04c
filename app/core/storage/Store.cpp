// SPDX-License-Identifier: MIT
#include "app/core/storage/Store.h"

namespace Core {

Store::Store(const QString &dataDir, StoreWorker::Options options, QObject *parent) : QObject(parent)
{
    registerStoreMetaTypes();
    m_thread.setObjectName(QStringLiteral("keygate-store"));
    m_worker = new StoreWorker(dataDir, options);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &StoreWorker::writeFailed, this, &Store::writeFailed);
    connect(m_worker, &StoreWorker::keysChanged, this, &Store::keysChanged);
    connect(m_worker, &StoreWorker::settingsChanged, this, &Store::settingsChanged);
    connect(m_worker, &StoreWorker::upstreamChanged, this, &Store::upstreamChanged);
}

Store::~Store()
{
    if (m_running)
        flushAndStop();
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    } else if (m_worker && !m_thread.isFinished()) {
        delete m_worker; // never started: the worker is not owned by a running thread
    }
}

Status Store::start()
{
    if (m_running)
        return Status::success();
    m_thread.start();
    Status status = Status::success();
    QMetaObject::invokeMethod(
        m_worker, [this, &status] { status = m_worker->open(); }, Qt::BlockingQueuedConnection);
    if (!status) {
        m_thread.quit();
        m_thread.wait();
        m_worker = nullptr; // deleted on finished
        return status;
    }
    m_running = true;
    return status;
}

bool Store::flushAndStop()
{
    if (!m_running)
        return true;
    bool written = false;
    QMetaObject::invokeMethod(
        m_worker, [this, &written] { written = m_worker->flushAndStop(); }, Qt::BlockingQueuedConnection);
    m_running = false;
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
    return written;
}

void Store::appendRequests(const QList<Proxy::RequestRecord> &records)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, records] { worker->appendRequests(records); },
                                  Qt::QueuedConnection);
}

void Store::appendAuthEvents(const QList<Proxy::AuthTrace> &traces)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, traces] { worker->appendAuthEvents(traces); },
                                  Qt::QueuedConnection);
}

void Store::flush()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->flush(); }, Qt::QueuedConnection);
}

void Store::setAuthRetentionDays(int days)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, days] { worker->setAuthRetentionDays(days); },
                                  Qt::QueuedConnection);
}

void Store::setRequestLogRetentionDays(int days)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, days] { worker->setRequestLogRetentionDays(days); },
                                  Qt::QueuedConnection);
}

Result<Proxy::KeySnapshotPtr> Store::loadKeys()
{
    if (!m_running)
        return Result<Proxy::KeySnapshotPtr>::failure(QStringLiteral("the store is not running"));
    auto result = Result<Proxy::KeySnapshotPtr>::failure(QString());
    QMetaObject::invokeMethod(
        m_worker, [this, &result] { result = m_worker->loadKeys(); }, Qt::BlockingQueuedConnection);
    return result;
}

Result<QList<Proxy::HourlyUsage>> Store::loadHourlyUsage()
{
    if (!m_running)
        return Result<QList<Proxy::HourlyUsage>>::failure(QStringLiteral("the store is not running"));
    auto result = Result<QList<Proxy::HourlyUsage>>::failure(QString());
    QMetaObject::invokeMethod(
        m_worker, [this, &result] { result = m_worker->loadHourlyUsage(); }, Qt::BlockingQueuedConnection);
    return result;
}

Result<QList<Proxy::RequestCount>> Store::loadRequestCounts()
{
    if (!m_running)
        return Result<QList<Proxy::RequestCount>>::failure(QStringLiteral("the store is not running"));
    auto result = Result<QList<Proxy::RequestCount>>::failure(QString());
    QMetaObject::invokeMethod(
        m_worker, [this, &result] { result = m_worker->loadRequestCounts(); }, Qt::BlockingQueuedConnection);
    return result;
}

Result<QHash<qint64, Proxy::UsageTotals>> Store::loadUsageBaseline()
{
    using Totals = QHash<qint64, Proxy::UsageTotals>;
    if (!m_running)
        return Result<Totals>::failure(QStringLiteral("the store is not running"));
    auto result = Result<Totals>::failure(QString());
    QMetaObject::invokeMethod(
        m_worker, [this, &result] { result = m_worker->loadUsageBaseline(); }, Qt::BlockingQueuedConnection);
    return result;
}

void Store::publishAccountRuntime(const QList<Proxy::AccountRuntimeStatus> &statuses)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, statuses] { worker->publishAccountRuntime(statuses); },
                                  Qt::QueuedConnection);
}

} // namespace Core
