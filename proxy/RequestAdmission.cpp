// SPDX-License-Identifier: MIT
#include "proxy/RequestAdmission.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/RequestId.h"
#include "proxy/auth/CrossSiteGuard.h"
#include "proxy/auth/RequestLocality.h"

#include <QDeadlineTimer>

namespace Proxy {

namespace {

HttpHeaders commonHeaders(const QString &requestId, qint64 authNs)
{
    HttpHeaders headers;
    headers.append("x-request-id", requestId.toLatin1());
    headers.append("Server-Timing", "auth;dur=" + QByteArray::number(double(authNs) / 1e6, 'f', 3));
    return headers;
}

std::optional<RequestAdmission::Answer> earlyAnswer(const HttpRequest &request, const RouteMatch &match,
                                                    const QString &requestId)
{
    if (match.route == Route::Health) {
        HttpHeaders headers = commonHeaders(requestId, 0);
        headers.append("Content-Type", "application/json");
        return RequestAdmission::Answer{200, headers, R"({"status":"ok"})"};
    }
    if (match.route != Route::NotFound && request.method == match.method)
        return std::nullopt;
    const bool known = match.route != Route::NotFound;
    const QString what = QString::fromLatin1(request.method) + u' ' + QString::fromLatin1(match.path);
    return RequestAdmission::error(commonHeaders(requestId, 0), known ? 405 : 404,
                                   QStringLiteral("invalid_request_error"),
                                   known ? QStringLiteral("method_not_allowed") : QStringLiteral("not_found"),
                                   known ? QStringLiteral("Method %1 is not allowed on %2")
                                               .arg(QString::fromLatin1(request.method), QString::fromLatin1(match.path))
                                         : QStringLiteral("Unknown route: ") + what);
}

/// Under `metrics-access loopback` no key is asked for, so the request itself must be local (no
/// forwarding header, a localhost Host: a rebound DNS name is not) and not a browser page's.
std::optional<RequestAdmission::Answer> loopbackMetricsRefusal(const HttpRequest &request, const QStringList &origins,
                                                               const QString &requestId)
{
    if (isLocalRequest(request.peer, request.headers) && CrossSiteGuard::refusal(request.headers, origins).isEmpty())
        return std::nullopt;
    return RequestAdmission::error(commonHeaders(requestId, 0), 403, QStringLiteral("permission_error"),
                                   QStringLiteral("metrics_loopback_only"),
                                   QStringLiteral("/metrics is served to local clients only (the metrics-access "
                                                  "setting is loopback; `key` lets any valid Keygate key read it)"));
}

/// The anonymous, untraced admission of a local `/metrics` scrape.
AuthDecision localScrape()
{
    AuthDecision decision;
    decision.verdict = AuthVerdict::Anonymous;
    decision.status = 0;
    decision.logging = AuthDecision::Logging::None;
    decision.trace.source = QStringLiteral("none");
    decision.trace.verdict = AuthVerdict::Anonymous;
    return decision;
}

} // namespace

RequestAdmission RequestAdmission::decide(const HttpRequest &request, AdmissionGate &gate, const KeySnapshot &keys,
                                          bool requireKey, MetricsAccess metricsAccess, const QElapsedTimer &clock)
{
    RequestAdmission out;
    out.match = RouteMatch::of(request);
    if (out.match.route == Route::Metrics && metricsAccess == MetricsAccess::Off)
        out.match.route = Route::NotFound; // answered as any unknown route: nothing tells it exists
    out.requestId = QString::fromLatin1(newRequestId());
    out.early = earlyAnswer(request, out.match, out.requestId);
    const bool localScrapeOnly = out.match.route == Route::Metrics && metricsAccess == MetricsAccess::Loopback;
    if (!out.early && localScrapeOnly)
        out.early = loopbackMetricsRefusal(request, gate.allowedOrigins(), out.requestId);
    if (out.early)
        return out;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // /v1/usage and /metrics (metrics-access key) need a key even where require-key is off.
    const AuthPolicy policy{requireKey, out.match.route == Route::Usage || out.match.route == Route::Metrics};
    out.authDecided = !localScrapeOnly;
    out.decision = localScrapeOnly ? localScrape()
                                   : gate.decide({request.method, out.match.path, request.headers, request.peer},
                                                 policy, keys, now, QDeadlineTimer::current().deadline());
    const qint64 authNs = clock.nsecsElapsed();
    AuthTrace &trace = out.trace;
    trace = out.decision.trace;
    trace.time = now;
    trace.requestId = out.requestId;
    trace.clientRequestId = clientRequestId(request.headers);
    trace.durationNs = authNs;
    trace.peer = request.peer.toString();
    trace.method = QString::fromLatin1(request.method);
    trace.path = QString::fromLatin1(out.match.path);

    out.headers = commonHeaders(out.requestId, authNs);
    RequestRecord &record = out.record;
    record.time = now;
    record.requestId = out.requestId;
    record.keyId = out.decision.key ? out.decision.key->id : 0;
    record.authSource = trace.source;
    record.route = QString::fromLatin1(request.path);
    record.peer = trace.peer;
    record.userAgent = QString::fromUtf8(request.headers.value("user-agent"));
    record.bytesIn = request.body.size();
    return out;
}

RequestAdmission::Answer RequestAdmission::refusal() const
{
    HttpHeaders out = headers;
    if (decision.retryAfterSeconds > 0)
        out.set("Retry-After", QByteArray::number(decision.retryAfterSeconds));
    return error(out, decision.status, decision.errorType, decision.errorCode, decision.message);
}

bool RequestAdmission::policyStepFollows() const
{
    const Route route = match.route;
    return decision.allowed() && match.method == "POST"
           && (route == Route::Responses || route == Route::Compact || route == Route::ChatCompletions);
}

RequestAdmission::Answer RequestAdmission::error(HttpHeaders headers, int status, const QString &type,
                                                 const QString &code, const QString &message)
{
    headers.set("Content-Type", "application/json");
    return Answer{status, headers, errorEnvelope(message, type, code)};
}

} // namespace Proxy
