// SPDX-License-Identifier: MIT
#include "proxy/ProxyServer.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/RequestAdmission.h"
#include "proxy/RouteTable.h"
#include "proxy/chat/ChatCompletionTransform.h"
#include "proxy/http/HttpExchange.h"
#include "proxy/http/HttpServer.h"
#include "proxy/http/RequestBodyDecoder.h"
#include "proxy/relay/CodexBody.h"
#include "proxy/relay/CompactRequest.h"
#include "proxy/relay/FailoverRelay.h"
#include "proxy/relay/JsonBodyInspector.h"
#include "proxy/relay/ModelsCatalog.h"
#include "proxy/relay/UsageReport.h"
#include "proxy/routing/StickyKey.h"
#include "proxy/ws/WebSocketResponses.h"
#include "proxy/routing/TokenRefreshGate.h"
#include "proxy/upstream/UpstreamClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace Proxy {

namespace {

constexpr int FlushIntervalMs = 100;
constexpr int RefreshWaitMs = 15'000;
constexpr int LimitRefreshMs = 60'000;
} // namespace

ProxyServer::ProxyServer() : m_refresh(new TokenRefreshGate(RefreshWaitMs, this))
{
    // Parented so that moveToThread() takes the timers along to the proxy thread.
    m_flushTimer.setParent(this);
    m_graceTimer.setParent(this);
    m_flushTimer.setInterval(FlushIntervalMs);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &ProxyServer::flushEvents);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, &ProxyServer::finishStop);
    m_limitRefreshTimer.setParent(this);
    m_limitRefreshTimer.setInterval(LimitRefreshMs);
    connect(&m_limitRefreshTimer, &QTimer::timeout, this, [this] {
        m_policy.refresh(QDateTime::currentDateTimeUtc());
        scheduleFlush();
    });
    connect(m_refresh, &TokenRefreshGate::refreshRequested, this, &ProxyServer::refreshRequested);
    m_pool.setChangeNotifier([this] { scheduleFlush(); });
}

ProxyServer::~ProxyServer()
{
    // Delete the front end while our members still live: closing its connections ends relays,
    // which record their requests into m_ledger / m_records.
    m_pool.setChangeNotifier(nullptr);
    delete m_http;
    endDrains();
    delete m_models;
    delete m_upstream;
    m_flushTimer.stop();
    flushEvents();
}

void ProxyServer::start(const ProxyConfig &config)
{
    m_config = config;
    applyAdmission(config);
    m_drains = new QObject(this);
    m_records.setJournal(config.journal, config.timeouts.durableHoldMs);
    applyAccounts(config);
    m_policy.setPricing(config.pricing);
    if (!m_keys)
        m_keys = std::make_shared<const KeySnapshot>();
    m_limitRefreshTimer.start();
    m_upstream = new UpstreamClient(this);
    m_models = new ModelsCatalog(m_upstream, this);
    m_models->configure(config);
    m_http = new HttpServer(config.limits, [this](HttpExchange *exchange) { handle(exchange); }, this);
    m_http->setHeadCheck([this](const HttpRequest &head) { return checkHead(head); });
    connect(m_http, &HttpServer::becameIdle, this, [this] {
        if (m_stopping)
            finishStop();
    });
    if (!m_http->listen(config.listenAddress, config.port))
        return emit failed(m_http->listenError());
    emit started(m_http->hostPort());
}

void ProxyServer::moveListener(const QHostAddress &address, quint16 port)
{
    if (!m_http || !m_http->isListening()) // not started, failed to, or stopping
        return emit listenerMoveFailed(QStringLiteral("the proxy is not listening"));
    if (m_http->moveListener(address, port))
        return emit listenerMoved(m_http->hostPort());
    if (m_http->isListening())
        return emit listenerMoveFailed(m_http->listenError());
    emit failed(m_http->listenError());
}

void ProxyServer::applyConfig(const ProxyConfig &config)
{
    m_config.requireKey = config.requireKey;
    m_config.metricsAccess = config.metricsAccess;
    applyAdmission(config);
    applyAccounts(config);
    m_config.timeouts = config.timeouts;
    m_config.limits = config.limits;
    m_config.modelsCacheSeconds = config.modelsCacheSeconds;
    m_config.webSocketIdleMs = config.webSocketIdleMs;
    m_config.pricing = config.pricing;
    m_policy.setPricing(config.pricing);
    if (m_http)
        m_http->setLimits(config.limits);
    if (m_models)
        m_models->configure(m_config);
}

void ProxyServer::applyAccounts(const ProxyConfig &config)
{
    m_config.accounts = config.accounts;
    m_config.routing = config.routing;
    m_config.stickyTtlSeconds = config.stickyTtlSeconds;
    m_pool.setStrategy(config.routing);
    m_pool.setStickyTtlSeconds(config.stickyTtlSeconds);
    m_pool.applyAccounts(config.accounts);
}

void ProxyServer::applyAdmission(const ProxyConfig &config)
{
    m_config.allowedOrigins = config.allowedOrigins;
    m_config.authFailureBudget = config.authFailureBudget;
    m_config.apiKeyFallback = config.apiKeyFallback;
    m_gate.setAllowedOrigins(config.allowedOrigins);
    m_gate.setFailureBudget(config.authFailureBudget);
    m_gate.setApiKeyFallback(config.apiKeyFallback);
}

void ProxyServer::applyAccountToken(qint64 accountId, const QByteArray &accessToken)
{
    m_pool.updateToken(accountId, accessToken);
    m_refresh->resolve(accountId, true);
}

void ProxyServer::applyAccountQuota(qint64 accountId, const QuotaWindows &windows)
{
    m_pool.observeQuota(accountId, windows);
}

void ProxyServer::accountRefreshFailed(qint64 accountId)
{
    m_pool.markNeedsReauth(accountId);
    m_refresh->resolve(accountId, false);
}

void ProxyServer::applyKeys(const KeySnapshotPtr &keys)
{
    m_keys = keys ? keys : std::make_shared<const KeySnapshot>();
    m_policy.applyKeys(*m_keys);
    scheduleFlush();
}

void ProxyServer::applyUsageBaseline(const QHash<qint64, UsageTotals> &totals)
{
    m_ledger.setBaseline(totals);
}

void ProxyServer::applyHourlyUsage(const QList<HourlyUsage> &rows)
{
    m_policy.setBaseline(rows);
    scheduleFlush();
}

void ProxyServer::stop(int graceMs)
{
    if (!m_http)
        return emit stopped();
    m_stopping = true;
    m_http->stopAccepting();
    if (m_http->inFlightCount() == 0)
        finishStop();
    else
        m_graceTimer.start(graceMs);
}

void ProxyServer::finishStop()
{
    if (!m_stopping)
        return;
    m_stopping = false;
    m_graceTimer.stop();
    m_http->closeAll();
    endDrains();
    m_pendingTraces += m_gate.takeThrottleSummaries(true);
    flushEvents();
    emit stopped();
}

std::optional<HttpServer::HeadRefusal> ProxyServer::checkHead(const HttpRequest &head)
{
    QElapsedTimer clock;
    clock.start();
    const RequestAdmission admission = RequestAdmission::decide(head, m_gate, *m_keys, m_config.requireKey,
                                                                m_config.metricsAccess, clock);
    if (admission.match.route == Route::Health || (!admission.early && admission.decision.allowed()))
        return std::nullopt; // the body is read and handle() decides again, the same way
    if (admission.early)
        return admission.early;
    noteRefusal(admission, clock);
    return admission.refusal();
}

void ProxyServer::noteRefusal(RequestAdmission admission, const QElapsedTimer &clock)
{
    if (admission.authDecided)
        m_metrics.recordAuthDecision(admission.decision);
    if (admission.decision.logging != AuthDecision::Logging::None)
        queueTrace(admission.trace);
    if (admission.decision.logging != AuthDecision::Logging::Full)
        return; // a throttled peer leaves one trace row per window, no request rows
    admission.record.status = admission.decision.status;
    admission.record.outcome = QStringLiteral("denied");
    admission.record.latencyMs = clock.elapsed();
    recordRequest(admission.record);
}

void ProxyServer::handle(HttpExchange *exchange)
{
    QElapsedTimer clock;
    clock.start();
    const HttpRequest &request = exchange->request();
    const RequestAdmission admission =
        RequestAdmission::decide(request, m_gate, *m_keys, m_config.requireKey, m_config.metricsAccess, clock);
    if (admission.early) {
        exchange->respond(admission.early->status, admission.early->headers, admission.early->body);
        return;
    }
    const AuthDecision &decision = admission.decision;
    if (!decision.allowed()) {
        const RequestAdmission::Answer refusal = admission.refusal();
        exchange->respond(refusal.status, refusal.headers, refusal.body);
        noteRefusal(admission, clock);
        return;
    }
    if (admission.authDecided)
        m_metrics.recordAuthDecision(decision);
    if (!admission.policyStepFollows() && decision.logging != AuthDecision::Logging::None)
        queueTrace(admission.trace);
    const HttpHeaders &headers = admission.headers;
    const RequestRecord &record = admission.record;
    const AuthTrace &trace = admission.trace;
    switch (admission.match.route) {
    case Route::Responses:
        if (request.method == "GET") {
            if (QObject *session = WebSocketResponses::accept(exchange, headers, m_config.webSocketIdleMs,
                                                              m_config.limits.maxBodyBytes,
                                                              [this](HttpExchange *turn) { handle(turn); }))
                m_metrics.webSocketOpened(session);
            return;
        }
        serveResponses(exchange, record, trace, decision.key, clock, headers, Flavor::Stream);
        return;
    case Route::Compact:
        serveResponses(exchange, record, trace, decision.key, clock, headers, Flavor::Compact);
        return;
    case Route::ChatCompletions:
        serveResponses(exchange, record, trace, decision.key, clock, headers, Flavor::Chat);
        return;
    case Route::Usage:
        serveUsage(exchange, *decision.key, headers);
        return;
    case Route::Metrics:
        serveMetrics(exchange, headers);
        return;
    case Route::Models:
    case Route::CodexModels: {
        const AccountSelection source = m_pool.firstUsable();
        if (!source.account) {
            const RequestAdmission::Answer none = RequestAdmission::error(
                headers, 503, QStringLiteral("server_error"), QStringLiteral("no_accounts"), source.message);
            exchange->respond(none.status, none.headers, none.body);
            return;
        }
        // Codex clients pointed at a /v1 base ask /v1/models?client_version=… and need the catalog shape.
        const bool codexClient = QUrlQuery(QString::fromLatin1(request.query)).hasQueryItem(QStringLiteral("client_version"));
        m_models->serve(exchange,
                        admission.match.route == Route::Models && !codexClient ? ModelsCatalog::Shape::OpenAIList
                                                               : ModelsCatalog::Shape::Native,
                        headers, *source.account,
                        decision.key ? decision.key->policy.allowedModels : QStringList());
        return;
    }
    default:
        return;
    }
}

void ProxyServer::serveResponses(HttpExchange *exchange, RequestRecord record, AuthTrace trace, const KeyEntry *key,
                                 const QElapsedTimer &clock, const HttpHeaders &headers, Flavor flavor)
{
    const HttpRequest &request = exchange->request();
    const auto answer = [&](int status, const QByteArray &envelope) {
        queueTrace(trace);
        HttpHeaders out = headers;
        out.set("Content-Type", "application/json");
        exchange->respond(status, out, envelope);
        record.status = status;
        record.outcome = QStringLiteral("error");
        record.latencyMs = clock.elapsed();
        recordRequest(record);
    };
    const auto fail = [&](int status, const QString &type, const QString &code, const QString &message,
                          const QString &param = {}) {
        answer(status, errorEnvelope(message, type, code,
                                     param.isEmpty() ? QJsonObject() : QJsonObject{{QStringLiteral("param"), param}}));
    };
    RequestBodyDecoder::Result decoded =
        RequestBodyDecoder::decode(request.headers.values("content-encoding"), request.body, m_config.limits.maxBodyBytes);
    if (!decoded.ok()) {
        fail(decoded.status, QStringLiteral("invalid_request_error"), decoded.errorCode, decoded.message);
        return;
    }
    if (decoded.changed || request.headers.contains("content-encoding"))
        exchange->replaceBody(std::move(decoded.body));
    const JsonBodyInspection body = JsonBodyInspection::inspect(request.body);
    if (body.refusal) { // not one JSON object, or one whose names the upstream might read otherwise
        fail(400, QStringLiteral("invalid_request_error"), body.refusal->code, body.refusal->message,
             body.refusal->param);
        return;
    }
    record.model = body.model;
    record.serviceTier = body.serviceTier;
    QString effort = body.reasoningEffort;
    // A streamed turn that ends in a compaction_trigger is compacted too (codex-lb, pitfall 10), but
    // answered as the stream; the substring test keeps the parse off every other turn.
    if (flavor == Flavor::Stream && request.body.contains("\"compaction_trigger\""))
        flavor = Flavor::StreamedCompaction;
    if (flavor == Flavor::Compact || flavor == Flavor::StreamedCompaction) {
        const CompactRequest reshaped = CompactRequest::fromClientBody(request.body);
        if (!reshaped.ok()) {
            fail(400, QStringLiteral("invalid_request_error"), QStringLiteral("invalid_compact_request"), reshaped.error);
            return;
        }
        exchange->replaceBody(reshaped.upstreamBody);
    }
    std::optional<ChatRequestTranslation> chatRequest;
    if (flavor == Flavor::Chat) {
        chatRequest = ChatRequestTranslator::translate(request.body);
        if (!chatRequest->ok()) {
            answer(400, chatRequest->errorBody());
            return;
        }
        effort = chatRequest->responses.value(u"reasoning").toObject().value(u"effort").toString();
    }
    // One normalisation for every route to a codex-kind account (chat's body: per attempt, in FailoverRelay).
    std::optional<CodexBody> codexBody = chatRequest ? CodexBody::forTranslation(chatRequest->codexChanges(), m_pool)
                                                     : CodexBody::forPool(request.body, m_pool);
    if (codexBody && codexBody->refusal) {
        fail(400, QStringLiteral("invalid_request_error"), QStringLiteral("unsupported_parameter"),
             codexBody->refusal->message, codexBody->refusal->param);
        return;
    }
    if (key && refusedByPolicy(exchange, *key, effort, record, trace, clock, headers))
        return;
    if (codexBody)
        trace.policy = codexBody->noted(trace.policy);
    queueTrace(trace);
    const FailoverRelay::Services services{m_upstream, &m_pool, m_refresh, m_config.timeouts, m_drains, &m_metrics};
    auto *relay = new FailoverRelay(exchange, record, clock, headers,
                                    stickyKeyFor(request.headers, body.promptCacheKey), services,
                                    [this](const RequestRecord &done, std::function<void()> durable) {
                                        recordRequest(done, std::move(durable));
                                    });
    if (flavor == Flavor::Compact)
        relay->setDelivery(FailoverRelay::Delivery::CollectedJson);
    else if (flavor == Flavor::Stream && !body.stream && !exchange->hasSink())
        relay->setDelivery(FailoverRelay::Delivery::CollectedJsonFromCodex); // the ChatGPT backend only streams
    if (codexBody && !chatRequest)
        relay->setCodexBody(std::move(codexBody->body));
    if (chatRequest)
        relay->setTranslation(ChatCompletionTransform::translation(*chatRequest, request, record.requestId));
    relay->start();
}

bool ProxyServer::refusedByPolicy(HttpExchange *exchange, const KeyEntry &key, const QString &effort,
                                  RequestRecord &record, AuthTrace &trace, const QElapsedTimer &clock,
                                  const HttpHeaders &headers)
{
    const PolicyDecision policy = m_policy.decide(key, record.model, effort, exchange->request().body.size());
    trace.policy = policy.trace;
    if (policy.allowed()) {
        record.limitReservation = policy.reservation;
        return false;
    }
    trace.verdict = AuthVerdict::Refused;
    trace.status = policy.status;
    trace.reason = policy.message;
    queueTrace(trace);
    HttpHeaders out = headers;
    const QByteArray body = KeyPolicyGate::refusalBody(policy, out);
    exchange->respond(policy.status, out, body);
    record.status = policy.status;
    record.outcome = QStringLiteral("denied");
    record.latencyMs = clock.elapsed();
    recordRequest(record);
    return true;
}

void ProxyServer::queueTrace(const AuthTrace &trace)
{
    m_pendingTraces.append(trace);
    scheduleFlush();
}

void ProxyServer::serveUsage(HttpExchange *exchange, const KeyEntry &key, const HttpHeaders &headers)
{
    HttpHeaders out = headers;
    out.append("Content-Type", "application/json");
    exchange->respond(200, out,
                      usageReport(key, m_ledger.totals(key.id), m_policy.statuses(key, QDateTime::currentDateTimeUtc())));
}

void ProxyServer::serveMetrics(HttpExchange *exchange, const HttpHeaders &headers)
{
    HttpHeaders out = headers;
    out.set("Content-Type", PrometheusText::ContentType.toByteArray());
    exchange->respond(200, out,
                      m_metrics.render({m_ledger, *m_keys, m_config.accounts, m_pool, m_config.storeHealth.get()}));
}

void ProxyServer::endDrains()
{
    if (!m_drains)
        return;
    const QObjectList relays = m_drains->children();
    for (QObject *relay : relays)
        delete relay; // each records what its request is charged
}

void ProxyServer::recordRequest(const RequestRecord &finished, std::function<void()> durable)
{
    RequestRecord record = finished;
    if (record.usage && m_config.pricing)
        record.costMicros = m_config.pricing->costMicros(record.model, *record.usage, record.serviceTier);
    m_ledger.record(record.keyId, record.usage, record.costMicros);
    m_metrics.recordRequest(record);
    m_policy.settle(std::exchange(record.limitReservation, 0), record.keyId, record.model, record.time, record.usage,
                    record.costMicros);
    m_records.add(record, std::move(durable));
    scheduleFlush();
}

void ProxyServer::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ProxyServer::flushEvents()
{
    m_pendingTraces += m_gate.takeThrottleSummaries();
    if (!m_pendingTraces.isEmpty())
        emit authTraced(std::exchange(m_pendingTraces, {}));
    if (m_records.hasBatch())
        emit requestsRecorded(m_records.takeBatch());
    if (QList<AccountRuntimeStatus> statuses = m_pool.takeStatusChanges(); !statuses.isEmpty())
        emit accountStatusChanged(statuses);
    if (m_keys)
        if (QList<LimitStatus> statuses = m_policy.takeChangedStatuses(*m_keys, QDateTime::currentDateTimeUtc());
            !statuses.isEmpty())
            emit limitStatusesChanged(statuses);
}

} // namespace Proxy
