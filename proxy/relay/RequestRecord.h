// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Proxy {

/// One proxied request, handed from the proxy thread to the store for the request log.
struct RequestRecord final
{
    QDateTime time;           ///< UTC, when the request arrived
    QString requestId;
    qint64 keyId = 0;         ///< 0 = anonymous (require-key off, local) or denied
    qint64 accountId = 0;     ///< the upstream account that gave the final answer; 0 = none
    QString authSource;       ///< "authorization", "x-api-key" or "none"
    QString route;            ///< path as requested, e.g. /v1/responses
    QString model;
    QString serviceTier;      ///< the request's service_tier (prices differ per tier); not stored
    qint64 limitReservation = 0; ///< LimitEnforcer reservation to settle when the request ends; not stored
    int status = 0;           ///< status sent to the client
    QString outcome;          ///< ok, upstream_error, client_closed, incomplete, denied, error
    std::optional<TokenUsage> usage; ///< unset when unknown (stored as NULL)
    /// For client_closed, and upstream_error after the upstream accepted the request: "upstream" (its usage
    /// arrived) or "estimate" (UsageEstimate); else empty.
    QString usageSource;
    std::optional<qint64> costMicros; ///< USD × 10⁶ from the pricing table; unset when usage or price is unknown
    QString responseId;
    qint64 latencyMs = 0;
    std::optional<qint64> ttfbMs;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    QString peer;
    QString userAgent;
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::RequestRecord)
