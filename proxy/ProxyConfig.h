// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/UpstreamConfig.h"
#include "proxy/auth/ApiKeyFallback.h"
#include "proxy/metrics/MetricsAccess.h"
#include "proxy/metrics/StoreHealth.h"
#include "proxy/relay/PricingTable.h"
#include "proxy/relay/RecordJournal.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QStringList>

namespace Proxy {

/// Limits of the HTTP front end; defaults are what `serve` uses.
struct HttpLimits final
{
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    qint64 maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 100;
    int headerTimeoutMs = 10'000;   ///< the whole head (and body) of a request must arrive in this time
    int idleTimeoutMs = 75'000;     ///< keep-alive idle, never while a response is streaming
    int maxConnections = 4096;      ///< capped again below RLIMIT_NOFILE at start
};

/// Timeouts of the upstream side.
struct UpstreamTimeouts final
{
    int connectMs = 10'000;
    int firstByteMs = 300'000;  ///< no response head by then → 504
    int idleMs = 300'000;       ///< no byte for this long mid-stream → response.failed
    /// After a client hangs up, the upstream is still read this long for the real usage; then the
    /// request is charged an estimate (UsageEstimate::forClientClosed).
    int clientClosedDrainMs = 60'000;
    /// The longest a response's terminal bytes wait for its record to be durable (RecordJournal).
    int durableHoldMs = 2'000;
};

/// Everything the proxy thread needs, copied in as one value.
struct ProxyConfig final
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 2455;
    bool requireKey = true;
    /// Origins (CrossSiteGuard::normalizedOrigin form) whose pages may use the proxy; empty = none.
    QStringList allowedOrigins;
    /// Failed key attempts a peer may make per minute (and at once) before it is throttled (429).
    int authFailureBudget = 30;
    /// When x-api-key may decide after Authorization did not (the `x-api-key-fallback` setting).
    ApiKeyFallback apiKeyFallback = ApiKeyFallback::Always;
    /// Who may read GET /metrics (the `metrics-access` setting).
    MetricsAccess metricsAccess = MetricsAccess::Loopback;
    HttpLimits limits;
    UpstreamTimeouts timeouts;
    QList<UpstreamAccount> accounts;  ///< the pool; order is the tie-break after priority
    RoutingStrategy routing = RoutingStrategy::RoundRobin;
    int stickyTtlSeconds = 1800;       ///< prompt_cache_key / session_id → account mapping lifetime
    int modelsCacheSeconds = 300;
    int webSocketIdleMs = 120'000; ///< a WebSocket with no message and no response in flight closes after this
    PricingTablePtr pricing; ///< model prices for the cost of each request; null = cost unknown
    /// Where records are made durable before a response completes; null = batched to requestsRecorded only.
    std::shared_ptr<RecordJournal> journal;
    /// The store's queue depth and failed writes for /metrics; null = no store (read as 0).
    StoreHealthPtr storeHealth;
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::ProxyConfig)
