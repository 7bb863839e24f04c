// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/RequestAdmission.h"
#include "proxy/auth/AdmissionGate.h"
#include "proxy/auth/AuthTrace.h"
#include "proxy/auth/KeySnapshot.h"
#include "proxy/http/HttpHeaders.h"
#include "proxy/metrics/ProxyMetrics.h"
#include "proxy/policy/KeyPolicyGate.h"
#include "proxy/policy/LimitStatus.h"
#include "proxy/relay/RecordOutbox.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/UsageLedger.h"
#include "proxy/routing/AccountPool.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace Proxy {

class HttpExchange;
class HttpServer;
class ModelsCatalog;
class TokenRefreshGate;
class UpstreamClient;

/// The proxy itself: routes every request through the auth pipeline, relays the Responses API
/// through the account pool (routing, stickiness, failover), serves models/usage/health, and
/// batches traces, request records and account status changes for the rest of the app.
/// Lives on the proxy thread; created without a parent and moved there by ProxyController, and
/// everything with thread affinity is created in start().
class ProxyServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyServer)

public:
    ProxyServer();
    ~ProxyServer() override;

    void start(const ProxyConfig &config);
    void applyConfig(const ProxyConfig &config);
    /// Listens on @p address:@p port instead of the current address, keeping the current listener
    /// when the new one cannot be opened (HttpServer::moveListener); in-flight requests go on.
    void moveListener(const QHostAddress &address, quint16 port);
    void applyKeys(const KeySnapshotPtr &keys);
    void applyUsageBaseline(const QHash<qint64, UsageTotals> &totals);
    void applyRequestBaseline(const QList<RequestCount> &counts) { m_metrics.setRequestBaseline(counts); }
    /// Recent usage per key, model and hour, from the request log: limit counters start from it.
    void applyHourlyUsage(const QList<HourlyUsage> &rows);
    /// The refresh asked for by refreshRequested() succeeded: requests waiting on it retry.
    void applyAccountToken(qint64 accountId, const QByteArray &accessToken);
    void applyAccountQuota(qint64 accountId, const QuotaWindows &windows);
    /// The refresh failed: the account is skipped until accounts are applied again; waiters fail over.
    void accountRefreshFailed(qint64 accountId);
    void stop(int graceMs);

signals:
    void started(const QString &hostPort);
    void failed(const QString &message);
    void listenerMoved(const QString &hostPort);
    void listenerMoveFailed(const QString &message);
    void stopped();
    void authTraced(const QList<Proxy::AuthTrace> &traces);
    void requestsRecorded(const QList<Proxy::RequestRecord> &records);
    void refreshRequested(qint64 accountId);
    void accountStatusChanged(const QList<Proxy::AccountRuntimeStatus> &statuses);
    /// Where the limits of keys whose usage or policy changed stand now (batched like the others).
    void limitStatusesChanged(const QList<Proxy::LimitStatus> &statuses);

private:
    void handle(HttpExchange *exchange);
    /// The front end's head check: what handle() would refuse from the head alone (an unknown route or
    /// method, a refused key, a cross-site page, a throttled peer) is answered before the body is read.
    std::optional<HttpServer::HeadRefusal> checkHead(const HttpRequest &head);
    /// Traces a refused admission and records its denied request (a throttled peer: neither per request).
    void noteRefusal(RequestAdmission admission, const QElapsedTimer &clock);
    /// How a responses-family route answers: the upstream stream as is, one compact JSON object, or
    /// translated to chat completions.
    enum class Flavor { Stream, StreamedCompaction, Compact, Chat };
    void serveResponses(HttpExchange *exchange, RequestRecord record, AuthTrace trace, const KeyEntry *key,
                        const QElapsedTimer &clock, const HttpHeaders &headers, Flavor flavor);
    /// Refuses the request when the key's policy does (true), else reserves its limits into @p record.
    bool refusedByPolicy(HttpExchange *exchange, const KeyEntry &key, const QString &effort, RequestRecord &record,
                         AuthTrace &trace, const QElapsedTimer &clock, const HttpHeaders &headers);
    void serveUsage(HttpExchange *exchange, const KeyEntry &key, const HttpHeaders &headers);
    void serveMetrics(HttpExchange *exchange, const HttpHeaders &headers);
    void queueTrace(const AuthTrace &trace);
    /// Counts @p record and hands it to the journal (or the next batch); @p durable runs on this
    /// thread once the journal has it durably, or after ProxyConfig::timeouts.durableHoldMs.
    void recordRequest(const RequestRecord &record, std::function<void()> durable = {});
    /// Ends every drain of a departed client's request (each is charged what it has so far).
    void endDrains();
    void scheduleFlush();
    void applyAccounts(const ProxyConfig &config);
    void applyAdmission(const ProxyConfig &config);
    void flushEvents();
    void finishStop();

    ProxyConfig m_config;
    AdmissionGate m_gate;
    KeySnapshotPtr m_keys;
    UsageLedger m_ledger;
    KeyPolicyGate m_policy;
    QTimer m_limitRefreshTimer; // windows roll over while nothing happens
    AccountPool m_pool;
    TokenRefreshGate *m_refresh; // a child: moves to the proxy thread with us
    HttpServer *m_http = nullptr;
    UpstreamClient *m_upstream = nullptr;
    ModelsCatalog *m_models = nullptr;
    QObject *m_drains = nullptr; // owns relays whose client hung up (FailoverRelay::Services::drains)

    QTimer m_flushTimer;
    QTimer m_graceTimer;
    QList<AuthTrace> m_pendingTraces;
    RecordOutbox m_records{this};
    ProxyMetrics m_metrics{this};
    bool m_stopping = false;
};

} // namespace Proxy
