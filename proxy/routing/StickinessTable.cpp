// SPDX-License-Identifier: MIT
#include "proxy/routing/StickinessTable.h"

namespace Proxy {

StickinessTable::StickinessTable(qint64 ttlMs, qsizetype capacity) : m_ttlMs(ttlMs), m_capacity(capacity)
{
    Q_ASSERT(capacity > 0);
}

qint64 StickinessTable::lookup(const QString &key, qint64 nowMs)
{
    pruneExpired(nowMs);
    const auto found = m_index.constFind(key);
    return found == m_index.constEnd() ? 0 : (*found)->accountId;
}

void StickinessTable::assign(const QString &key, qint64 accountId, qint64 nowMs)
{
    if (const auto found = m_index.constFind(key); found != m_index.constEnd())
        erase(*found);
    m_order.push_front({key, accountId, nowMs});
    m_index.insert(key, m_order.begin());
    while (m_index.size() > m_capacity)
        erase(std::prev(m_order.end()));
}

void StickinessTable::forgetAccount(qint64 accountId)
{
    for (auto it = m_order.begin(); it != m_order.end();) {
        const auto next = std::next(it);
        if (it->accountId == accountId)
            erase(it);
        it = next;
    }
}

void StickinessTable::erase(Order::iterator it)
{
    m_index.remove(it->key);
    m_order.erase(it);
}

void StickinessTable::pruneExpired(qint64 nowMs)
{
    // The list is ordered by last use, so the expired entries are all at its end.
    while (!m_order.empty() && nowMs - m_order.back().lastUsedMs >= m_ttlMs)
        erase(std::prev(m_order.end()));
}

} // namespace Proxy
