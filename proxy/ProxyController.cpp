// SPDX-License-Identifier: MIT
#include "proxy/ProxyController.h"

#include "proxy/ProxyServer.h"

namespace Proxy {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<Proxy::ProxyConfig>();
    qRegisterMetaType<Proxy::KeySnapshotPtr>();
    qRegisterMetaType<QList<Proxy::AuthTrace>>();
    qRegisterMetaType<QList<Proxy::RequestRecord>>();
    qRegisterMetaType<QList<Proxy::AccountRuntimeStatus>>();
    qRegisterMetaType<QList<Proxy::LimitStatus>>();
}

} // namespace

ProxyController::ProxyController(QObject *parent) : QObject(parent)
{
    registerMetaTypes();
    m_thread.setObjectName(QStringLiteral("keygate-proxy"));
    m_server = new ProxyServer;
    m_server->moveToThread(&m_thread);
    connect(m_server, &ProxyServer::started, this, &ProxyController::started);
    connect(m_server, &ProxyServer::failed, this, &ProxyController::failed);
    connect(m_server, &ProxyServer::listenerMoved, this, &ProxyController::listenerMoved);
    connect(m_server, &ProxyServer::listenerMoveFailed, this, &ProxyController::listenerMoveFailed);
    connect(m_server, &ProxyServer::stopped, this, &ProxyController::stopped);
    connect(m_server, &ProxyServer::authTraced, this, &ProxyController::authTraced);
    connect(m_server, &ProxyServer::requestsRecorded, this, &ProxyController::requestsRecorded);
    connect(m_server, &ProxyServer::refreshRequested, this, &ProxyController::refreshRequested);
    connect(m_server, &ProxyServer::accountStatusChanged, this, &ProxyController::accountStatusChanged);
    connect(m_server, &ProxyServer::limitStatusesChanged, this, &ProxyController::limitStatusesChanged);
    m_thread.start();
}

ProxyController::~ProxyController()
{
    // The server and everything it created are destroyed on the proxy thread that owns them.
    QMetaObject::invokeMethod(m_server, [server = m_server] { delete server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void ProxyController::start(const ProxyConfig &config)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, config] { server->start(config); });
}

void ProxyController::applyConfig(const ProxyConfig &config)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, config] { server->applyConfig(config); });
}

void ProxyController::moveListener(const QHostAddress &address, quint16 port)
{
    QMetaObject::invokeMethod(m_server,
                              [server = m_server, address, port] { server->moveListener(address, port); });
}

void ProxyController::applyKeys(const KeySnapshotPtr &keys)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, keys] { server->applyKeys(keys); });
}

void ProxyController::applyHourlyUsage(const QList<HourlyUsage> &rows)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, rows] { server->applyHourlyUsage(rows); });
}

void ProxyController::applyUsageBaseline(const QHash<qint64, UsageTotals> &totals)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, totals] { server->applyUsageBaseline(totals); });
}

void ProxyController::applyRequestBaseline(const QList<RequestCount> &counts)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, counts] { server->applyRequestBaseline(counts); });
}

void ProxyController::applyAccountToken(qint64 accountId, const QByteArray &accessToken)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, accountId, accessToken] {
        server->applyAccountToken(accountId, accessToken);
    });
}

void ProxyController::applyAccountQuota(qint64 accountId, const QuotaWindows &windows)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, accountId, windows] {
        server->applyAccountQuota(accountId, windows);
    });
}

void ProxyController::accountRefreshFailed(qint64 accountId)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, accountId] { server->accountRefreshFailed(accountId); });
}

void ProxyController::stop(int graceMs)
{
    QMetaObject::invokeMethod(m_server, [server = m_server, graceMs] { server->stop(graceMs); });
}

} // namespace Proxy
