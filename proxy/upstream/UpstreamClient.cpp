// SPDX-License-Identifier: MIT
#include "proxy/upstream/UpstreamClient.h"

#include "proxy/upstream/Http1Exchange.h"
#include "proxy/upstream/UpstreamConnectionPool.h"

#include <QThread>

namespace Proxy {

UpstreamClient::UpstreamClient(QObject *parent) : QObject(parent), m_pool(new UpstreamConnectionPool(this)) {}

UpstreamClient::~UpstreamClient() = default;

UpstreamExchange *UpstreamClient::send(const UpstreamRequest &request, const UpstreamTimeouts &timeouts,
                                       QObject *parent)
{
    Q_ASSERT(thread() == QThread::currentThread());
    return new Http1Exchange(m_pool, request, timeouts, parent ? parent : this);
}

int UpstreamClient::idleConnectionCount() const
{
    return m_pool->idleCount();
}

} // namespace Proxy
