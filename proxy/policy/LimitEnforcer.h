// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/KeySnapshot.h"
#include "proxy/policy/LimitStatus.h"
#include "proxy/policy/PolicyDecision.h"
#include "proxy/policy/WindowLedger.h"
#include "proxy/relay/PricingTable.h"

#include <QDateTime>
#include <QHash>

namespace Proxy {

/// Per-key usage limits, enforced on the proxy thread from memory (no SQL on the request path).
///
/// admit() refuses a request whose key has an exhausted limit (429 before the upstream) and
/// otherwise reserves an estimate of what it may use (at most the remaining headroom, as codex-lb
/// does), so concurrent requests cannot all slip through on the last few tokens. settle() swaps the
/// reservation for the actual usage. A limit can therefore overshoot by at most the actual usage of
/// the requests in flight beyond their reservations; statuses are shown clamped.
class LimitEnforcer final
{
public:
    /// The size the request is guessed at before it runs (reference §3.3).
    struct Estimate
    {
        QString model;
        qint64 bodyBytes = 0;
    };

    void setBaseline(const QList<HourlyUsage> &rows);
    void setPricing(PricingTablePtr pricing) { m_pricing = std::move(pricing); }
    /// New key policies: counts are recomputed from the ledger on next use.
    void applyKeys(const KeySnapshot &keys);

    PolicyDecision admit(const KeyEntry &key, const Estimate &request, const QDateTime &now);
    /// Records what a request used (at its arrival @p time) and drops its reservation, if any.
    /// Requests of keys without limits are recorded too: a limit added later counts them.
    void settle(qint64 reservation, qint64 keyId, const QString &model, const QDateTime &time,
                const std::optional<TokenUsage> &usage, std::optional<qint64> costMicros);
    /// The key's limits as they stand at @p now (reservations not included).
    QList<LimitStatus> statuses(const KeyEntry &key, const QDateTime &now);
    /// Forgets usage older than any window can reach.
    void prune(const QDateTime &now);
    /// Keys with at least one limit.
    QList<qint64> limitedKeys() const { return m_limitsByKey.keys(); }

private:
    struct Count
    {
        qint64 startHour = 0;
        qint64 value = 0;
    };
    struct Reservation
    {
        qint64 keyId = 0;
        QList<QPair<qint64, qint64>> amounts; // limit id → reserved
    };

    qint64 current(const KeyEntry &key, const KeyLimit &limit, const QDateTime &now);
    qint64 estimateFor(const KeyLimit &limit, const Estimate &request) const;
    void release(qint64 reservation);

    WindowLedger m_ledger;
    PricingTablePtr m_pricing;
    QHash<qint64, QList<KeyLimit>> m_limitsByKey;
    QHash<qint64, Count> m_counts;    // limit id → count of its current window
    QHash<qint64, qint64> m_reserved; // limit id → sum of open reservations
    QHash<qint64, Reservation> m_reservations;
    qint64 m_nextReservation = 1;
};

} // namespace Proxy
