// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace Proxy {

/// Counts failed key attempts (unknown, disabled or expired key) per peer — an IPv4 address, or an
/// IPv6 /64, since one host commonly holds a whole /64 — in a token bucket: `budget` failures at
/// once, refilled at `budget` per minute. A peer whose bucket is empty is throttled until a token
/// is back. Pure and clock-injected (monotonic milliseconds), so decay is testable.
///
/// Memory: at most MaxPeers entries (~150 bytes each, ~1 MiB in all). A full bucket and no open
/// throttle window means nothing to remember, so such entries are dropped; when an attacker rotates
/// addresses faster than that, the eighth of the entries touched longest ago is evicted (their
/// throttle windows' summaries are kept for the trace). An evicted peer starts again with a full
/// budget: rotation buys an attacker a budget per address (per /64), never unbounded memory.
class FailedAuthThrottle final
{
public:
    static constexpr qsizetype MaxPeers = 4096;
    static constexpr qint64 WindowMs = 60'000; ///< one trace row per peer and window

    /// A peer's throttled attempts in one window after the first (which is traced itself).
    struct Summary final
    {
        QString peer; ///< peerLabel()
        int count = 0;
    };

    explicit FailedAuthThrottle(int budgetPerMinute = 30) { setBudget(budgetPerMinute); }
    void setBudget(int perMinute);
    int budget() const { return m_budget; }

    /// The group a peer is counted in: 4 bytes of IPv4 (IPv4-mapped IPv6 included), or 8 bytes of an
    /// IPv6 /64.
    static QByteArray peerKey(const QHostAddress &peer);
    /// `192.0.2.7` or `2001:db8:1:2::/64`.
    static QString peerLabel(const QHostAddress &peer);

    /// Whole seconds until @p peer may fail again (≥ 1), or 0 when it is not throttled.
    int retryAfterSeconds(const QHostAddress &peer, qint64 nowMs) const;
    /// Takes one token from @p peer's bucket.
    void recordFailure(const QHostAddress &peer, qint64 nowMs);
    /// Counts an attempt refused because @p peer is throttled; true when it opens a window (the
    /// caller traces that one; the rest of the window becomes one Summary).
    bool recordThrottled(const QHostAddress &peer, qint64 nowMs);
    /// Summaries of windows that have ended (every open one when @p all), and forgets peers with
    /// nothing left to remember.
    QList<Summary> takeSummaries(qint64 nowMs, bool all = false);
    qsizetype size() const { return m_peers.size(); }

private:
    struct Entry final
    {
        QString label;
        double tokens = 0;
        qint64 updatedMs = 0;
        qint64 windowStartMs = -1; ///< -1: no throttle window open
        int throttledInWindow = 0; ///< after the first
    };
    double tokensAt(const Entry &entry, qint64 nowMs) const;
    Entry &entryFor(const QHostAddress &peer, qint64 nowMs);
    void closeWindow(Entry &entry);
    void makeRoom(qint64 nowMs);

    int m_budget = 30;
    QHash<QByteArray, Entry> m_peers;
    QList<Summary> m_closed; // windows closed by a new window or an eviction, not yet taken
};

} // namespace Proxy
