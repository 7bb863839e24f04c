// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/RouteTable.h"
#include "proxy/auth/AdmissionGate.h"
#include "proxy/http/HttpServer.h"
#include "proxy/metrics/MetricsAccess.h"
#include "proxy/relay/RequestRecord.h"

#include <QElapsedTimer>

#include <optional>

namespace Proxy {

/// What ProxyServer decides about a request from its head alone: the route, Keygate's own request
/// id, the AdmissionGate's verdict, and the trace and request record that start from them. Decided
/// the same way twice: by the front end's head check, so that a refused head is answered before its
/// body is read (HttpServer::HeadCheck), and by the handler for a request that arrived whole.
/// Value type; proxy thread.
struct RequestAdmission final
{
    using Answer = HttpServer::HeadRefusal;

    RouteMatch match;
    QString requestId;
    /// Health (200), an unknown route or method (404/405), `/metrics` while off (404) or refused to a
    /// request that is not local under `metrics-access loopback` (403): answered before any auth, never traced.
    std::optional<Answer> early;
    AuthDecision decision;
    bool authDecided = false; ///< the AdmissionGate decided (not a loopback `/metrics` scrape)
    AuthTrace trace;
    RequestRecord record;
    HttpHeaders headers; ///< x-request-id and Server-Timing, on every answer

    static RequestAdmission decide(const HttpRequest &request, AdmissionGate &gate, const KeySnapshot &keys,
                                   bool requireKey, MetricsAccess metricsAccess, const QElapsedTimer &clock);
    /// The answer to a refused decision (Retry-After when the peer is throttled).
    Answer refusal() const;
    /// The key's policy step, which needs the body, comes before the trace is queued.
    bool policyStepFollows() const;
    /// @p headers plus `Content-Type: application/json` and the OpenAI envelope.
    static Answer error(HttpHeaders headers, int status, const QString &type, const QString &code,
                        const QString &message);
};

} // namespace Proxy
