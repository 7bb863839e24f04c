// SPDX-License-Identifier: MIT
#include "proxy/auth/AdmissionGate.h"

#include "proxy/RequestId.h"
#include "proxy/auth/CrossSiteGuard.h"

#include <QDeadlineTimer>

namespace Proxy {

namespace {

/// A failed attempt the throttle counts: a key was presented and was unknown, disabled or expired.
bool isCountedFailure(const AuthDecision &decision)
{
    if (decision.allowed() || decision.status != 401)
        return false;
    for (const AuthStep &step : decision.trace.steps)
        if (step.outcome == HeaderOutcome::Unknown || step.outcome == HeaderOutcome::Disabled
            || step.outcome == HeaderOutcome::Expired)
            return true;
    return false;
}

AuthDecision refused(int status, const QString &type, const QString &code, const QString &message,
                     const QString &reason)
{
    AuthDecision decision;
    decision.verdict = AuthVerdict::Denied;
    decision.status = status;
    decision.errorType = type;
    decision.errorCode = code;
    decision.message = message;
    decision.trace.source = QStringLiteral("none");
    decision.trace.verdict = AuthVerdict::Denied;
    decision.trace.status = status;
    decision.trace.reason = reason;
    return decision;
}

} // namespace

AuthDecision AdmissionGate::decide(const AuthRequest &request, const AuthPolicy &policy, const KeySnapshot &keys,
                                   const QDateTime &nowUtc, qint64 nowMs)
{
    if (const QString reason = CrossSiteGuard::refusal(request.headers, m_allowedOrigins); !reason.isEmpty())
        return refused(403, QStringLiteral("permission_error"), QStringLiteral("cross_site_request"),
                       QStringLiteral("Requests from web pages are refused: the proxy only serves local tools "
                                      "(allow an origin with `keygate settings set allowed-origins`)"),
                       reason);
    const int retryAfter = m_throttle.retryAfterSeconds(request.peer, nowMs);
    if (retryAfter > 0 && presentsCredential(request.headers) && !mayPresentKnownKey(request.headers, keys))
        return throttled(request.peer, retryAfter, nowMs);
    AuthPolicy withFallback = policy;
    withFallback.apiKeyFallback = m_fallback;
    AuthDecision decision = decideAuth(request, withFallback, keys, nowUtc);
    if (!isCountedFailure(decision))
        return decision;
    if (retryAfter > 0) // looked like a key of ours but was not: still throttled
        return throttled(request.peer, retryAfter, nowMs);
    m_throttle.recordFailure(request.peer, nowMs);
    return decision;
}

AuthDecision AdmissionGate::throttled(const QHostAddress &peer, int retryAfterSeconds, qint64 nowMs)
{
    const bool opensWindow = m_throttle.recordThrottled(peer, nowMs);
    AuthDecision decision =
        refused(429, QStringLiteral("rate_limit_error"), QStringLiteral("too_many_failed_attempts"),
                QStringLiteral("Too many failed API key attempts from this address; retry after %1 s")
                    .arg(retryAfterSeconds),
                QStringLiteral("peer %1: failed-auth budget of %2/min spent, throttled for %3 s")
                    .arg(FailedAuthThrottle::peerLabel(peer))
                    .arg(m_throttle.budget())
                    .arg(retryAfterSeconds));
    decision.retryAfterSeconds = retryAfterSeconds;
    decision.logging = opensWindow ? AuthDecision::Logging::TraceOnly : AuthDecision::Logging::None;
    return decision;
}

QList<AuthTrace> AdmissionGate::takeThrottleSummaries(bool all)
{
    const QDateTime nowUtc = QDateTime::currentDateTimeUtc();
    QList<AuthTrace> out;
    const qint64 nowMs = QDeadlineTimer::current().deadline();
    for (const FailedAuthThrottle::Summary &summary : m_throttle.takeSummaries(nowMs, all)) {
        AuthTrace trace;
        trace.time = nowUtc;
        trace.requestId = QString::fromLatin1(newRequestId());
        trace.peer = summary.peer;
        trace.source = QStringLiteral("none");
        trace.verdict = AuthVerdict::Denied;
        trace.status = 429;
        trace.reason =
            QStringLiteral("peer %1: %2 more failed attempts throttled").arg(summary.peer).arg(summary.count);
        out.append(trace);
    }
    return out;
}

} // namespace Proxy
