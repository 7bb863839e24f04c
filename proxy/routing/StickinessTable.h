// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>

#include <list>

namespace Proxy {

/// Sticky routing: a key (prompt_cache_key, session id) → the account that serves it, so that a
/// conversation keeps hitting the account that holds its prompt cache. An entry lives for the TTL
/// after its last use (sliding); beyond the capacity the least recently used entry is evicted.
/// Plain value class, used on the proxy thread only; time is passed in (ms since the epoch).
class StickinessTable final
{
public:
    explicit StickinessTable(qint64 ttlMs = 30LL * 60 * 1000, qsizetype capacity = 10'000);

    void setTtlMs(qint64 ttlMs) { m_ttlMs = ttlMs; }

    /// The account mapped to @p key, 0 when there is none or it expired. Does not refresh the entry.
    qint64 lookup(const QString &key, qint64 nowMs);
    /// Maps @p key to @p accountId (insert or replace) and marks it used at @p nowMs.
    void assign(const QString &key, qint64 accountId, qint64 nowMs);
    /// Drops every mapping to @p accountId (the account was removed).
    void forgetAccount(qint64 accountId);

    qsizetype size() const { return m_index.size(); }

private:
    struct Entry
    {
        QString key;
        qint64 accountId = 0;
        qint64 lastUsedMs = 0;
    };
    using Order = std::list<Entry>; // most recently used first

    void erase(Order::iterator it);
    void pruneExpired(qint64 nowMs);

    qint64 m_ttlMs;
    qsizetype m_capacity;
    Order m_order;
    QHash<QString, Order::iterator> m_index;
};

} // namespace Proxy
