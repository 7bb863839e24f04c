// SPDX-License-Identifier: MIT
#include "proxy/auth/FailedAuthThrottle.h"

#include <algorithm>
#include <cmath>

namespace Proxy {

namespace {
constexpr double MsPerMinute = 60'000.0;
} // namespace

void FailedAuthThrottle::setBudget(int perMinute)
{
    m_budget = std::max(1, perMinute);
}

QByteArray FailedAuthThrottle::peerKey(const QHostAddress &peer)
{
    bool isIpv4 = false;
    const quint32 ipv4 = peer.toIPv4Address(&isIpv4);
    if (isIpv4) {
        QByteArray key(4, '\0');
        for (int i = 0; i < 4; ++i)
            key[i] = char((ipv4 >> (24 - 8 * i)) & 0xFF);
        return key;
    }
    const Q_IPV6ADDR ipv6 = peer.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(ipv6.c), 8);
}

QString FailedAuthThrottle::peerLabel(const QHostAddress &peer)
{
    bool isIpv4 = false;
    const quint32 ipv4 = peer.toIPv4Address(&isIpv4);
    if (isIpv4)
        return QHostAddress(ipv4).toString();
    Q_IPV6ADDR prefix = peer.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        prefix.c[i] = 0;
    return QHostAddress(prefix).toString() + QStringLiteral("/64");
}

double FailedAuthThrottle::tokensAt(const Entry &entry, qint64 nowMs) const
{
    const double refilled = double(std::max<qint64>(0, nowMs - entry.updatedMs)) * m_budget / MsPerMinute;
    return std::min(double(m_budget), entry.tokens + refilled);
}

int FailedAuthThrottle::retryAfterSeconds(const QHostAddress &peer, qint64 nowMs) const
{
    const auto it = m_peers.constFind(peerKey(peer));
    if (it == m_peers.constEnd())
        return 0;
    const double tokens = tokensAt(*it, nowMs);
    if (tokens >= 1.0)
        return 0;
    const double msUntilToken = (1.0 - tokens) * MsPerMinute / m_budget;
    return std::max(1, int(std::ceil(msUntilToken / 1000.0)));
}

FailedAuthThrottle::Entry &FailedAuthThrottle::entryFor(const QHostAddress &peer, qint64 nowMs)
{
    const QByteArray key = peerKey(peer);
    auto it = m_peers.find(key);
    if (it == m_peers.end()) {
        if (m_peers.size() >= MaxPeers)
            makeRoom(nowMs);
        it = m_peers.insert(key, Entry{peerLabel(peer), double(m_budget), nowMs, -1, 0});
    }
    it->tokens = tokensAt(*it, nowMs);
    it->updatedMs = nowMs;
    return *it;
}

void FailedAuthThrottle::recordFailure(const QHostAddress &peer, qint64 nowMs)
{
    Entry &entry = entryFor(peer, nowMs);
    entry.tokens = std::max(0.0, entry.tokens - 1.0);
}

bool FailedAuthThrottle::recordThrottled(const QHostAddress &peer, qint64 nowMs)
{
    Entry &entry = entryFor(peer, nowMs);
    if (entry.windowStartMs >= 0 && nowMs - entry.windowStartMs < WindowMs) {
        ++entry.throttledInWindow;
        return false;
    }
    closeWindow(entry);
    entry.windowStartMs = nowMs;
    return true;
}

void FailedAuthThrottle::closeWindow(Entry &entry)
{
    if (entry.throttledInWindow > 0)
        m_closed.append({entry.label, entry.throttledInWindow});
    entry.windowStartMs = -1;
    entry.throttledInWindow = 0;
}

QList<FailedAuthThrottle::Summary> FailedAuthThrottle::takeSummaries(qint64 nowMs, bool all)
{
    for (Entry &entry : m_peers)
        if (entry.windowStartMs >= 0 && (all || nowMs - entry.windowStartMs >= WindowMs))
            closeWindow(entry);
    m_peers.removeIf([&](const auto &item) {
        return item.value().windowStartMs < 0 && tokensAt(item.value(), nowMs) >= m_budget;
    });
    return std::exchange(m_closed, {});
}

void FailedAuthThrottle::makeRoom(qint64 nowMs)
{
    // Drop what is fully decayed; then, if still above 7/8 of the cap, evict the peers touched longest
    // ago down to it. Freeing an eighth at once keeps a flood of new addresses at amortised O(1).
    m_peers.removeIf([&](const auto &item) {
        return item.value().windowStartMs < 0 && tokensAt(item.value(), nowMs) >= m_budget;
    });
    const qsizetype target = MaxPeers - MaxPeers / 8;
    if (m_peers.size() <= target)
        return;
    QList<std::pair<qint64, QByteArray>> byAge;
    byAge.reserve(m_peers.size());
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it)
        byAge.append({it->updatedMs, it.key()});
    const auto cut = byAge.begin() + (m_peers.size() - target);
    std::nth_element(byAge.begin(), cut, byAge.end());
    for (auto it = byAge.begin(); it != cut; ++it) {
        closeWindow(m_peers[it->second]);
        m_peers.remove(it->second);
    }
}

} // namespace Proxy
