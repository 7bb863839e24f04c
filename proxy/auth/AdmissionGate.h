// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthPipeline.h"
#include "proxy/auth/FailedAuthThrottle.h"

#include <QStringList>

namespace Proxy {

/// Everything decided about a request from its head, in order: a browser page is refused
/// (CrossSiteGuard, 403), a peer out of failed-auth budget is refused (FailedAuthThrottle, 429 with
/// Retry-After) before any hashing — unless a credential it carries could be a valid key — and then
/// the key decides (decideAuth, under the gate's x-api-key-fallback rule). A failed key attempt is counted against the peer. Lives on the proxy
/// thread with ProxyServer; the caller stamps the trace and answers.
class AdmissionGate final
{
public:
    void setAllowedOrigins(const QStringList &origins) { m_allowedOrigins = origins; }
    const QStringList &allowedOrigins() const { return m_allowedOrigins; }
    void setFailureBudget(int perMinute) { m_throttle.setBudget(perMinute); }
    void setApiKeyFallback(ApiKeyFallback fallback) { m_fallback = fallback; }

    /// @p nowMs is a monotonic clock (QDeadlineTimer::current()), the throttle's.
    AuthDecision decide(const AuthRequest &request, const AuthPolicy &policy, const KeySnapshot &keys,
                        const QDateTime &nowUtc, qint64 nowMs);
    /// Trace rows "peer X: N more failed attempts throttled" for windows that ended (all when @p all).
    /// Reads the clocks itself: it runs from the flush timer, not for a request.
    QList<AuthTrace> takeThrottleSummaries(bool all = false);

private:
    AuthDecision throttled(const QHostAddress &peer, int retryAfterSeconds, qint64 nowMs);

    QStringList m_allowedOrigins;
    ApiKeyFallback m_fallback = ApiKeyFallback::Always;
    FailedAuthThrottle m_throttle;
};

} // namespace Proxy
