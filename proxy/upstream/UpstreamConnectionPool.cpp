// SPDX-License-Identifier: MIT
#include "proxy/upstream/UpstreamConnectionPool.h"

#include <QAbstractSocket>

namespace Proxy {

UpstreamConnectionPool::UpstreamConnectionPool(QObject *parent) : QObject(parent)
{
    m_sweepTimer.setSingleShot(true);
    connect(&m_sweepTimer, &QTimer::timeout, this, &UpstreamConnectionPool::sweep);
}

UpstreamConnectionPool::~UpstreamConnectionPool()
{
    for (const auto &list : std::as_const(m_idle))
        for (UpstreamConnection *c : list)
            c->socket()->disconnect(this);
}

UpstreamConnection *UpstreamConnectionPool::take(const UpstreamEndpoint &endpoint)
{
    auto it = m_idle.find(endpoint);
    if (it == m_idle.end())
        return nullptr;
    UpstreamConnection *found = nullptr;
    while (!found && !it->isEmpty()) {
        UpstreamConnection *c = it->takeLast();
        c->socket()->disconnect(this);
        if (c->isReusable() && c->idleMs() < m_idleTimeoutMs) {
            c->setParent(nullptr);
            found = c;
        } else {
            c->discard();
        }
    }
    if (it->isEmpty())
        m_idle.erase(it);
    return found;
}

void UpstreamConnectionPool::release(UpstreamConnection *connection)
{
    Q_ASSERT(connection && connection->isReusable());
    connection->setParent(this);
    connection->markIdle();
    QAbstractSocket *socket = connection->socket();
    // While idle, any event on the socket means it is unusable: the server closed it or sent
    // bytes nobody asked for.
    connect(socket, &QIODevice::readyRead, this, [this, connection] { evict(connection); });
    connect(socket, &QAbstractSocket::disconnected, this, [this, connection] { evict(connection); });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, connection] { evict(connection); });
    m_idle[connection->endpoint()].append(connection);
    scheduleSweep();
}

int UpstreamConnectionPool::idleCount() const
{
    int n = 0;
    for (const auto &list : m_idle)
        n += int(list.size());
    return n;
}

void UpstreamConnectionPool::setIdleTimeoutMs(int ms)
{
    m_idleTimeoutMs = qMax(1, ms);
    sweep();
}

void UpstreamConnectionPool::evict(UpstreamConnection *connection)
{
    auto it = m_idle.find(connection->endpoint());
    if (it == m_idle.end() || !it->removeOne(connection))
        return;
    if (it->isEmpty())
        m_idle.erase(it);
    connection->socket()->disconnect(this);
    connection->discard();
}

void UpstreamConnectionPool::sweep()
{
    QList<UpstreamConnection *> expired;
    for (const auto &list : std::as_const(m_idle))
        for (UpstreamConnection *c : list)
            if (c->idleMs() >= m_idleTimeoutMs)
                expired.append(c);
    for (UpstreamConnection *c : std::as_const(expired))
        evict(c);
    scheduleSweep();
}

void UpstreamConnectionPool::scheduleSweep()
{
    // Fire when the oldest idle connection expires (at least 100 ms apart).
    qint64 oldest = -1;
    for (const auto &list : std::as_const(m_idle))
        for (UpstreamConnection *c : list)
            oldest = qMax(oldest, c->idleMs());
    if (oldest < 0) {
        m_sweepTimer.stop();
        return;
    }
    m_sweepTimer.start(int(qMax<qint64>(100, m_idleTimeoutMs - oldest + 1)));
}

} // namespace Proxy
