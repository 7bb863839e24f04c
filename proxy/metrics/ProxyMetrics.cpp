// SPDX-License-Identifier: MIT
#include "proxy/metrics/ProxyMetrics.h"

#include "proxy/RouteTable.h"
#include "proxy/routing/AccountPool.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace Proxy {

namespace {

constexpr std::array<QByteArrayView, 6> AuthResultNames{"accepted", "anonymous", "denied",
                                                         "rejected", "throttled", "cross_site"};
constexpr std::array<QByteArrayView, 3> AuthHeaderNames{"bearer", "x-api-key", "none"};
constexpr std::array<QByteArrayView, 6> PoolStates{"active",       "paused",      "needs_reauth",
                                                    "no_credentials", "rate_limited", "backing_off"};

int authResult(const AuthDecision &decision)
{
    if (decision.retryAfterSeconds > 0)
        return 4;
    if (decision.errorCode == u"cross_site_request")
        return 5;
    switch (decision.verdict) {
    case AuthVerdict::Accepted:
        return 0;
    case AuthVerdict::Anonymous:
        return 1;
    case AuthVerdict::Rejected:
        return 3;
    case AuthVerdict::Denied:
    case AuthVerdict::Refused:
    case AuthVerdict::Reset: // never decided by the proxy: a `keys reset-usage` row in the trace
        break;
    }
    return 2;
}

/// The header that decided: the accepted one, else the last one the pipeline judged, else none.
int authHeader(const AuthDecision &decision)
{
    QString header;
    if (decision.allowed())
        header = decision.trace.source;
    else
        for (const AuthStep &step : decision.trace.steps)
            if (step.outcome != HeaderOutcome::Absent && step.outcome != HeaderOutcome::NotTried)
                header = step.header.toLower();
    if (header == u"authorization")
        return 0;
    if (header == u"x-api-key")
        return 1;
    return 2;
}

QByteArrayView poolState(const UpstreamAccount &account, const AccountRuntimeStatus &runtime, const QDateTime &now)
{
    if (account.state == AccountState::Paused)
        return "paused";
    if (account.state == AccountState::NeedsReauth || runtime.needsReauth)
        return "needs_reauth";
    if (!account.upstream.isConfigured())
        return "no_credentials";
    if (runtime.isCoolingDown(now))
        return "rate_limited";
    if (runtime.isBackingOff(now))
        return "backing_off";
    return "active";
}

} // namespace

QString ProxyMetrics::routeLabel(const QString &rawPath)
{
    const RouteMatch match = RouteMatch::ofPath(rawPath.toLatin1());
    return match.route == Route::NotFound ? QStringLiteral("other") : QString::fromLatin1(match.path);
}

void ProxyMetrics::setRequestBaseline(const QList<RequestCount> &counts)
{
    m_requests.clear();
    for (const RequestCount &count : counts)
        m_requests[RequestKey{routeLabel(count.route), count.status, count.outcome}] += count.count;
}

void ProxyMetrics::recordRequest(const RequestRecord &record)
{
    ++m_requests[RequestKey{routeLabel(record.route), record.status, record.outcome}];
    m_latency.observe(record.latencyMs);
    if (record.ttfbMs)
        m_ttfb.observe(*record.ttfbMs);
}

void ProxyMetrics::recordAuthDecision(const AuthDecision &decision)
{
    ++m_auth[std::size_t(authResult(decision))][std::size_t(authHeader(decision))];
    if (decision.retryAfterSeconds > 0)
        ++m_throttled;
}

void ProxyMetrics::upstreamAnswered(qint64 accountId, int status)
{
    ++m_upstream[qMakePair(accountId, status)];
}

void ProxyMetrics::streamOpened(QObject *relay)
{
    ++m_openStreams;
    QObject::connect(relay, &QObject::destroyed, m_context, [this] { --m_openStreams; });
}

void ProxyMetrics::webSocketOpened(QObject *session)
{
    ++m_openWebSockets;
    QObject::connect(session, &QObject::destroyed, m_context, [this] { --m_openWebSockets; });
}

QByteArray ProxyMetrics::render(const Sources &sources) const
{
    PrometheusText text;
    renderRequests(text);
    renderAuth(text);
    renderKeys(text, sources);
    renderUpstream(text, sources);
    text.family("keygate_open_streams", "gauge", "Upstream responses being relayed to a client (or drained after it left).");
    text.sample("keygate_open_streams", {}, m_openStreams);
    text.family("keygate_open_websockets", "gauge", "Open Responses WebSocket connections.");
    text.sample("keygate_open_websockets", {}, m_openWebSockets);
    renderPool(text, sources);
    text.family("keygate_request_duration_seconds", "histogram", "Total latency of logged requests.");
    m_latency.write(text, "keygate_request_duration_seconds");
    text.family("keygate_time_to_first_byte_seconds", "histogram",
                "Time from a request's arrival to the first byte of its upstream response.");
    m_ttfb.write(text, "keygate_time_to_first_byte_seconds");
    const StoreHealth *store = sources.store;
    text.family("keygate_store_queue_depth", "gauge", "Request records and auth events waiting to be written.");
    text.sample("keygate_store_queue_depth", {}, store ? store->queueDepth.load(std::memory_order_relaxed) : 0);
    text.family("keygate_store_failed_writes_total", "counter",
                "Failed writes of the store (refused commits, dropped records) since it started.");
    text.sample("keygate_store_failed_writes_total", {},
                store ? store->failedWrites.load(std::memory_order_relaxed) : 0);
    return text.take();
}

void ProxyMetrics::renderRequests(PrometheusText &text) const
{
    text.family("keygate_requests_total", "counter", "Logged requests by route, status and outcome.");
    QList<RequestKey> keys = m_requests.keys();
    std::sort(keys.begin(), keys.end(), [](const RequestKey &a, const RequestKey &b) {
        return std::tie(a.route, a.status, a.outcome) < std::tie(b.route, b.status, b.outcome);
    });
    for (const RequestKey &key : keys)
        text.sample("keygate_requests_total",
                    {{"route", key.route}, {"status", QString::number(key.status)}, {"outcome", key.outcome}},
                    m_requests.value(key));
}

void ProxyMetrics::renderAuth(PrometheusText &text) const
{
    text.family("keygate_auth_decisions_total", "counter",
                "Auth decisions by result and by the header that decided (bearer, x-api-key, none).");
    for (std::size_t result = 0; result < AuthResultNames.size(); ++result)
        for (std::size_t header = 0; header < AuthHeaderNames.size(); ++header)
            if (m_auth[result][header] > 0)
                text.sample("keygate_auth_decisions_total",
                            {{"result", QString::fromLatin1(AuthResultNames[result])},
                             {"header", QString::fromLatin1(AuthHeaderNames[header])}},
                            m_auth[result][header]);
    text.family("keygate_auth_throttled_total", "counter",
                "Auth attempts refused 429 because the peer spent its failed-auth budget.");
    text.sample("keygate_auth_throttled_total", {}, m_throttled);
}

void ProxyMetrics::renderKeys(PrometheusText &text, const Sources &sources)
{
    QList<KeyEntry> keys = sources.keys.entries();
    std::sort(keys.begin(), keys.end(), [](const KeyEntry &a, const KeyEntry &b) { return a.id < b.id; });
    const auto family = [&](QByteArrayView name, QByteArrayView help, auto value) {
        text.family(name, "counter", help);
        for (const KeyEntry &key : std::as_const(keys))
            text.sample(name, {{"key_id", QString::number(key.id)}, {"key", key.name}, {"prefix", key.maskedKey}},
                        qint64(value(sources.ledger.totals(key.id))));
    };
    family("keygate_key_requests_total", "Requests per key, since the key was created.",
           [](const UsageTotals &t) { return t.requestCount; });
    family("keygate_key_input_tokens_total", "Input tokens per key (cached ones included).",
           [](const UsageTotals &t) { return t.input; });
    family("keygate_key_cached_tokens_total", "Cached input tokens per key.",
           [](const UsageTotals &t) { return t.cached; });
    family("keygate_key_output_tokens_total", "Output tokens per key (reasoning ones included).",
           [](const UsageTotals &t) { return t.output; });
    family("keygate_key_reasoning_tokens_total", "Reasoning tokens per key.",
           [](const UsageTotals &t) { return t.reasoning; });
    family("keygate_key_cost_microdollars_total", "Cost per key in USD millionths, from the pricing table.",
           [](const UsageTotals &t) { return std::llround(t.costUsd * 1e6); });
}

void ProxyMetrics::renderUpstream(PrometheusText &text, const Sources &sources) const
{
    text.family("keygate_upstream_requests_total", "counter",
                "Upstream attempts by account and status (0: no answer, e.g. a connection failure).");
    QHash<qint64, QString> names;
    for (const UpstreamAccount &account : sources.accounts)
        names.insert(account.id, account.name);
    QList<QPair<qint64, int>> keys = m_upstream.keys();
    std::sort(keys.begin(), keys.end());
    for (const auto &key : keys)
        text.sample("keygate_upstream_requests_total",
                    {{"account_id", QString::number(key.first)},
                     {"account", names.value(key.first)},
                     {"status", QString::number(key.second)}},
                    m_upstream.value(key));
}

void ProxyMetrics::renderPool(PrometheusText &text, const Sources &sources)
{
    text.family("keygate_pool_accounts", "gauge", "Upstream accounts in the pool by state.");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QHash<QByteArrayView, qint64> counts;
    for (const UpstreamAccount &account : sources.accounts)
        ++counts[poolState(account, sources.pool.status(account.id), now)];
    for (const QByteArrayView state : PoolStates)
        text.sample("keygate_pool_accounts", {{"state", QString::fromLatin1(state)}}, counts.value(state));
}

} // namespace Proxy
