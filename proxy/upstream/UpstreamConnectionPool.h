// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/upstream/UpstreamConnection.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

namespace Proxy {

/// Idle keep-alive upstream connections, keyed by (scheme, host, port), reused last-in first-out.
/// It never limits how many connections are open: only idle ones live here. An idle connection
/// is dropped when the server closes it, sends unsolicited bytes, or after idleTimeoutMs.
/// Lives on the proxy thread.
class UpstreamConnectionPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamConnectionPool)

public:
    static constexpr int DefaultIdleTimeoutMs = 60'000;

    explicit UpstreamConnectionPool(QObject *parent = nullptr);
    ~UpstreamConnectionPool() override;

    /// The most recently parked usable connection for @p endpoint (ownership passes to the caller,
    /// parent cleared), or nullptr.
    UpstreamConnection *take(const UpstreamEndpoint &endpoint);
    /// Parks @p connection (which must be reusable) as idle; the pool becomes its parent.
    void release(UpstreamConnection *connection);

    int idleCount() const;
    void setIdleTimeoutMs(int ms);
    int idleTimeoutMs() const { return m_idleTimeoutMs; }

private:
    void evict(UpstreamConnection *connection);
    void sweep();
    void scheduleSweep();

    QHash<UpstreamEndpoint, QList<UpstreamConnection *>> m_idle;
    QTimer m_sweepTimer;
    int m_idleTimeoutMs = DefaultIdleTimeoutMs;
};

} // namespace Proxy
