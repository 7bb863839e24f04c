// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/upstream/UpstreamExchange.h"

#include <QObject>

namespace Proxy {

class UpstreamConnectionPool;

/// Our own HTTP/1.1 client for the upstream: no per-host connection cap (QNetworkAccessManager
/// queues the 7th request to a host), no redirects, no cookies, no added headers, keep-alive reuse.
/// Lives on the proxy thread, which must create it.
class UpstreamClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamClient)

public:
    explicit UpstreamClient(QObject *parent = nullptr);
    ~UpstreamClient() override;

    /// Starts @p request now. The returned exchange is a child of @p parent (or of the client).
    UpstreamExchange *send(const UpstreamRequest &request, const UpstreamTimeouts &timeouts,
                           QObject *parent = nullptr);

    int idleConnectionCount() const;

private:
    UpstreamConnectionPool *m_pool;
};

} // namespace Proxy
