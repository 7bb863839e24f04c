// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthPipeline.h"
#include "proxy/auth/KeySnapshot.h"
#include "proxy/metrics/LatencyHistogram.h"
#include "proxy/metrics/RelayObserver.h"
#include "proxy/metrics/RequestCount.h"
#include "proxy/metrics/StoreHealth.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/UsageLedger.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QHash>
#include <QObject>

#include <array>

namespace Proxy {

class AccountPool;

/// The proxy's Prometheus metrics. Counters are plain integers bumped on the proxy thread, where
/// every request is handled, so the hot path takes no lock and allocates little; the exposition is
/// built only when `/metrics` is scraped, together with what is read then: per-key totals from the
/// UsageLedger (which starts from the stored totals, so they survive a restart), the pool's account
/// states and the store's StoreHealth. Never a key's hash or plaintext: keys are labelled by id,
/// name and masked prefix.
class ProxyMetrics final : public RelayObserver
{
public:
    /// What a scrape reads besides the counters; all of it lives on the proxy thread.
    struct Sources
    {
        const UsageLedger &ledger;
        const KeySnapshot &keys;
        const QList<UpstreamAccount> &accounts;
        const AccountPool &pool;
        const StoreHealth *store = nullptr; ///< null: the store gauges read 0
    };

    /// @p context (the owner, on the proxy thread) scopes the connections that end the open-stream and
    /// WebSocket gauges.
    explicit ProxyMetrics(QObject *context) : m_context(context) {}

    /// The bounded `route` label of a requested path: a known route's canonical path, else "other"
    /// (a path is the client's to choose, so raw paths would be unbounded series).
    static QString routeLabel(const QString &rawPath);

    /// `keygate_requests_total` starts from the stored counts (replacing what it held).
    void setRequestBaseline(const QList<RequestCount> &counts);
    /// Every request that reaches the request log: by route, status and outcome, and its latencies.
    void recordRequest(const RequestRecord &record);
    /// An auth decision of the pipeline, by result and by the header that decided it.
    void recordAuthDecision(const AuthDecision &decision);
    void upstreamAnswered(qint64 accountId, int status) override;
    void streamOpened(QObject *relay) override;
    /// @p session is an open WebSocket until destroyed.
    void webSocketOpened(QObject *session);

    QByteArray render(const Sources &sources) const;

private:
    struct RequestKey
    {
        QString route;
        int status = 0;
        QString outcome;
        bool operator==(const RequestKey &) const = default;
        friend size_t qHash(const RequestKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.route, key.status, key.outcome);
        }
    };
    static constexpr int AuthResults = 6; // accepted anonymous denied rejected throttled cross_site
    static constexpr int AuthHeaders = 3; // bearer x-api-key none

    void renderRequests(PrometheusText &text) const;
    void renderAuth(PrometheusText &text) const;
    static void renderKeys(PrometheusText &text, const Sources &sources);
    void renderUpstream(PrometheusText &text, const Sources &sources) const;
    static void renderPool(PrometheusText &text, const Sources &sources);

    QHash<RequestKey, qint64> m_requests;
    std::array<std::array<qint64, AuthHeaders>, AuthResults> m_auth{};
    qint64 m_throttled = 0;
    QHash<QPair<qint64, int>, qint64> m_upstream; ///< (account id, status) → answers
    qint64 m_openStreams = 0;
    qint64 m_openWebSockets = 0;
    LatencyHistogram m_latency;
    LatencyHistogram m_ttfb;
    QObject *m_context;
};

} // namespace Proxy
