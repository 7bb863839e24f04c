// SPDX-License-Identifier: MIT
#include "proxy/ProxyServer.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/RequestId.h"
#include "proxy/auth/AuthPipeline.h"
#include "proxy/chat/ChatCompletionTransform.h"
#include "proxy/http/HttpExchange.h"
#include "proxy/http/HttpServer.h"
#include "proxy/relay/FailoverRelay.h"
#include "proxy/relay/JsonBodyInspector.h"
#include "proxy/relay/ModelsCatalog.h"
#include "proxy/routing/StickyKey.h"
#include "proxy/routing/TokenRefreshGate.h"
#include "proxy/upstream/UpstreamClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

namespace {

constexpr int FlushIntervalMs = 100;
constexpr int RefreshWaitMs = 15'000;
constexpr QByteArrayView CodexPrefix = "/backend-api/codex/";
constexpr QByteArrayView CodexV1Prefix = "/backend-api/codex/v1/";

/// `/backend-api/codex/v1/<rest>` is an alias of `/backend-api/codex/<rest>` (clients append /v1).
QByteArrayView canonicalPath(QByteArrayView path)
{
    if (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    return path;
}

QByteArray stripCodexV1(QByteArrayView path)
{
    if (path.startsWith(CodexV1Prefix))
        return CodexPrefix.toByteArray() + path.sliced(CodexV1Prefix.size()).toByteArray();
    return path.toByteArray();
}

/// The client's x-request-id when it is short and printable, else a new one.
QString requestIdFor(const HttpHeaders &headers)
{
    const QByteArray given = headers.value("x-request-id");
    if (given.isEmpty() || given.size() > 128)
        return QString::fromLatin1(newRequestId());
    for (char c : given)
        if (c < 0x21 || c > 0x7e)
            return QString::fromLatin1(newRequestId());
    return QString::fromLatin1(given);
}

bool isWebSocketUpgrade(const HttpHeaders &headers)
{
    return headers.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

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
    connect(m_refresh, &TokenRefreshGate::refreshRequested, this, &ProxyServer::refreshRequested);
    m_pool.setChangeNotifier([this] { scheduleFlush(); });
}

ProxyServer::~ProxyServer()
{
    // Delete the front end while our members still live: closing its connections ends relays,
    // which record their requests into m_ledger / m_pendingRecords.
    m_pool.setChangeNotifier(nullptr);
    delete m_http;
    delete m_models;
    delete m_upstream;
    m_flushTimer.stop();
    flushEvents();
}

void ProxyServer::start(const ProxyConfig &config)
{
    m_config = config;
    applyAccounts(config);
    if (!m_keys)
        m_keys = std::make_shared<const KeySnapshot>();
    m_upstream = new UpstreamClient(this);
    m_models = new ModelsCatalog(m_upstream, this);
    m_models->configure(config);
    m_http = new HttpServer(config.limits, [this](HttpExchange *exchange) { handle(exchange); }, this);
    connect(m_http, &HttpServer::becameIdle, this, [this] {
        if (m_stopping)
            finishStop();
    });
    if (!m_http->listen(config.listenAddress, config.port)) {
        emit failed(QStringLiteral("cannot listen on %1:%2: %3")
                        .arg(config.listenAddress.toString())
                        .arg(config.port)
                        .arg(m_http->errorString()));
        return;
    }
    const QHostAddress address = m_http->serverAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    emit started(host + u':' + QString::number(m_http->serverPort()));
}

void ProxyServer::applyConfig(const ProxyConfig &config)
{
    m_config.requireKey = config.requireKey;
    applyAccounts(config);
    m_config.timeouts = config.timeouts;
    m_config.limits = config.limits;
    m_config.modelsCacheSeconds = config.modelsCacheSeconds;
    m_config.pricing = config.pricing;
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
}

void ProxyServer::applyUsageBaseline(const QHash<qint64, UsageTotals> &totals)
{
    m_ledger.setBaseline(totals);
}

void ProxyServer::stop(int graceMs)
{
    if (!m_http) {
        emit stopped();
        return;
    }
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
    flushEvents();
    emit stopped();
}

HttpHeaders ProxyServer::commonHeaders(const QString &requestId, qint64 authNs) const
{
    HttpHeaders headers;
    headers.append("x-request-id", requestId.toLatin1());
    headers.append("Server-Timing", "auth;dur=" + QByteArray::number(double(authNs) / 1e6, 'f', 3));
    return headers;
}

void ProxyServer::respondError(HttpExchange *exchange, const HttpHeaders &headers, int status,
                               const QString &type, const QString &code, const QString &message)
{
    HttpHeaders out = headers;
    out.set("Content-Type", "application/json");
    exchange->respond(status, out, errorEnvelope(message, type, code));
}

void ProxyServer::handle(HttpExchange *exchange)
{
    QElapsedTimer clock;
    clock.start();
    const HttpRequest &request = exchange->request();
    const QByteArray path = stripCodexV1(canonicalPath(request.path));

    Route route = Route::NotFound;
    QByteArrayView method = "POST";
    if (path == "/backend-api/codex/responses" || path == "/v1/responses") {
        route = Route::Responses;
        if (request.method == "GET" && isWebSocketUpgrade(request.headers))
            method = "GET";
    } else if (path == "/v1/chat/completions") {
        route = Route::ChatCompletions;
    } else if (path == "/v1/models") {
        route = Route::Models, method = "GET";
    } else if (path == "/backend-api/codex/models") {
        route = Route::CodexModels, method = "GET";
    } else if (path == "/v1/usage") {
        route = Route::Usage, method = "GET";
    } else if (path == "/health") {
        route = Route::Health, method = "GET";
    }

    const QString requestId = requestIdFor(request.headers);
    if (route == Route::Health) {
        HttpHeaders headers = commonHeaders(requestId, 0);
        headers.append("Content-Type", "application/json");
        exchange->respond(200, headers, R"({"status":"ok"})");
        return;
    }
    if (route == Route::NotFound || request.method != method) {
        const bool known = route != Route::NotFound;
        respondError(exchange, commonHeaders(requestId, 0), known ? 405 : 404,
                     QStringLiteral("invalid_request_error"),
                     known ? QStringLiteral("method_not_allowed") : QStringLiteral("not_found"),
                     known ? QStringLiteral("Method %1 is not allowed on %2")
                                 .arg(QString::fromLatin1(request.method), QString::fromLatin1(path))
                           : QStringLiteral("Unknown route: %1 %2")
                                 .arg(QString::fromLatin1(request.method), QString::fromLatin1(path)));
        return;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const AuthPolicy policy{m_config.requireKey, route == Route::Usage};
    const AuthDecision decision = decideAuth({request.method, path, request.headers, request.peer}, policy, *m_keys, now);
    const qint64 authNs = clock.nsecsElapsed();
    AuthTrace trace = decision.trace;
    trace.time = now;
    trace.requestId = requestId;
    trace.durationNs = authNs;
    trace.peer = request.peer.toString();
    trace.method = QString::fromLatin1(request.method);
    trace.path = QString::fromLatin1(path);
    m_pendingTraces.append(trace);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();

    const HttpHeaders headers = commonHeaders(requestId, authNs);
    RequestRecord record;
    record.time = now;
    record.requestId = requestId;
    record.keyId = decision.key ? decision.key->id : 0;
    record.authSource = trace.source;
    record.route = QString::fromLatin1(request.path);
    record.peer = trace.peer;
    record.userAgent = QString::fromUtf8(request.headers.value("user-agent"));
    record.bytesIn = request.body.size();

    if (!decision.allowed()) {
        respondError(exchange, headers, decision.status, decision.errorType, decision.errorCode, decision.message);
        record.status = decision.status;
        record.outcome = QStringLiteral("denied");
        record.latencyMs = clock.elapsed();
        recordRequest(record);
        return;
    }
    switch (route) {
    case Route::Responses:
        if (request.method == "GET") { // WebSocket upgrade: refuse fast so clients fall back to HTTP
            respondError(exchange, headers, 426, QStringLiteral("invalid_request_error"),
                         QStringLiteral("websocket_not_supported"),
                         QStringLiteral("WebSocket transport is not supported yet; use HTTP POST"));
            return;
        }
        serveResponses(exchange, record, clock, headers);
        return;
    case Route::ChatCompletions:
        serveResponses(exchange, record, clock, headers, true);
        return;
    case Route::Usage:
        serveUsage(exchange, *decision.key, headers);
        return;
    case Route::Models:
    case Route::CodexModels: {
        const AccountSelection source = m_pool.firstUsable();
        if (!source.account) {
            respondError(exchange, headers, 503, QStringLiteral("server_error"), QStringLiteral("no_accounts"),
                         source.message);
            return;
        }
        m_models->serve(exchange,
                        route == Route::Models ? ModelsCatalog::Shape::OpenAIList : ModelsCatalog::Shape::Native,
                        headers, *source.account);
        return;
    }
    default:
        return;
    }
}

void ProxyServer::serveResponses(HttpExchange *exchange, RequestRecord record, const QElapsedTimer &clock,
                                 const HttpHeaders &headers, bool chat)
{
    const HttpRequest &request = exchange->request();
    const auto fail = [&](int status, const QString &type, const QString &code, const QString &message) {
        respondError(exchange, headers, status, type, code, message);
        record.status = status;
        record.outcome = QStringLiteral("error");
        record.latencyMs = clock.elapsed();
        recordRequest(record);
    };
    const QByteArray encoding = request.headers.value("content-encoding").trimmed().toLower();
    if (!encoding.isEmpty() && encoding != "identity") {
        fail(415, QStringLiteral("invalid_request_error"), QStringLiteral("unsupported_content_encoding"),
             QStringLiteral("Compressed request bodies (Content-Encoding: %1) are not supported yet")
                 .arg(QString::fromLatin1(encoding)));
        return;
    }
    const JsonBodyInspection body = JsonBodyInspection::inspect(request.body);
    if (!body.validObject) {
        fail(400, QStringLiteral("invalid_request_error"), QStringLiteral("invalid_json"),
             QStringLiteral("The request body is not a valid JSON object"));
        return;
    }
    record.model = body.model;
    std::optional<ChatRequestTranslation> chatRequest;
    if (chat) {
        chatRequest = ChatRequestTranslator::translate(request.body);
        if (!chatRequest->ok()) {
            HttpHeaders out = headers;
            out.set("Content-Type", "application/json");
            exchange->respond(400, out, chatRequest->errorBody());
            record.status = 400;
            record.outcome = QStringLiteral("error");
            record.latencyMs = clock.elapsed();
            recordRequest(record);
            return;
        }
    }
    const FailoverRelay::Services services{m_upstream, &m_pool, m_refresh, m_config.timeouts};
    auto *relay = new FailoverRelay(exchange, record, clock, headers,
                                    stickyKeyFor(request.headers, body.promptCacheKey), services,
                                    [this](const RequestRecord &done) { recordRequest(done); });
    if (chatRequest)
        relay->setTranslation(ChatCompletionTransform::translation(*chatRequest, request, record.requestId));
    relay->start();
}

void ProxyServer::serveUsage(HttpExchange *exchange, const KeyEntry &key, const HttpHeaders &headers)
{
    const UsageTotals totals = m_ledger.totals(key.id);
    const QJsonObject keyInfo{{QStringLiteral("name"), key.name}, {QStringLiteral("prefix"), key.maskedKey}};
    const QJsonObject body{
        {QStringLiteral("request_count"), totals.requestCount},
        {QStringLiteral("total_tokens"), totals.total},
        {QStringLiteral("input_tokens"), totals.input},
        {QStringLiteral("cached_input_tokens"), std::min(totals.cached, totals.input)},
        {QStringLiteral("output_tokens"), totals.output},
        {QStringLiteral("reasoning_tokens"), totals.reasoning},
        {QStringLiteral("total_cost_usd"), totals.costUsd},
        {QStringLiteral("limits"), QJsonArray()},
        {QStringLiteral("upstream_limits"), QJsonArray()},
        {QStringLiteral("key"), keyInfo},
    };
    HttpHeaders out = headers;
    out.append("Content-Type", "application/json");
    exchange->respond(200, out, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void ProxyServer::recordRequest(const RequestRecord &finished)
{
    RequestRecord record = finished;
    if (record.usage && m_config.pricing)
        record.costMicros = m_config.pricing->costMicros(record.model, *record.usage);
    m_ledger.record(record.keyId, record.usage, record.costMicros);
    m_pendingRecords.append(record);
    scheduleFlush();
}

void ProxyServer::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ProxyServer::flushEvents()
{
    if (!m_pendingTraces.isEmpty())
        emit authTraced(std::exchange(m_pendingTraces, {}));
    if (!m_pendingRecords.isEmpty())
        emit requestsRecorded(std::exchange(m_pendingRecords, {}));
    if (QList<AccountRuntimeStatus> statuses = m_pool.takeStatusChanges(); !statuses.isEmpty())
        emit accountStatusChanged(statuses);
}

} // namespace Proxy
