// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/KeySnapshot.h"
#include "proxy/http/HttpHeaders.h"
#include "proxy/policy/LimitEnforcer.h"

#include <QSet>

namespace Proxy {

/// The key-policy step of the proxy: allowlists, then limits (LimitEnforcer), the refusal answer,
/// settling finished requests, and which keys' limit statuses changed since they were last reported.
/// Proxy thread.
class KeyPolicyGate final
{
public:
    void setPricing(PricingTablePtr pricing) { m_limits.setPricing(std::move(pricing)); }
    void applyKeys(const KeySnapshot &keys);
    void setBaseline(const QList<HourlyUsage> &rows);
    /// Forgets old hours and marks every limited key changed (windows roll over with no request).
    void refresh(const QDateTime &now);

    /// Model and effort allowlists, then limits; an admitted request holds a reservation.
    PolicyDecision decide(const KeyEntry &key, const QString &model, const QString &effort, qint64 bodyBytes);
    /// The 403/429 answer for @p refused: the envelope (with param / resets_at), Retry-After for 429.
    static QByteArray refusalBody(const PolicyDecision &refused, HttpHeaders &headers);

    /// Records what a finished request used and drops its reservation.
    void settle(qint64 reservation, qint64 keyId, const QString &model, const QDateTime &time,
                const std::optional<TokenUsage> &usage, std::optional<qint64> costMicros);
    QList<LimitStatus> statuses(const KeyEntry &key, const QDateTime &now) { return m_limits.statuses(key, now); }
    /// The statuses of every key marked changed since the last call (and still in @p keys).
    QList<LimitStatus> takeChangedStatuses(const KeySnapshot &keys, const QDateTime &now);

private:
    void markAllLimitedKeys();

    LimitEnforcer m_limits;
    QSet<qint64> m_changed;
};

} // namespace Proxy
