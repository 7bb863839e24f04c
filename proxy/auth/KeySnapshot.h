// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <memory>

namespace Proxy {

/// Where a key came from, and so which token prefix it answers to: Keygate's own keys are `sk-kg-`,
/// keys imported from codex-lb keep their `sk-clb-` plaintext. A token with the other prefix never
/// matches, even when its digest does.
enum class KeyOrigin { Keygate, CodexLb };

/// The token prefix keys of @p origin have: "sk-kg-" or "sk-clb-".
inline QByteArrayView tokenPrefix(KeyOrigin origin)
{
    return origin == KeyOrigin::CodexLb ? QByteArrayView("sk-clb-") : QByteArrayView("sk-kg-");
}

/// One Keygate API key as the proxy sees it: no plaintext, no hash (the hash is the map key).
struct KeyEntry final
{
    qint64 id = 0;
    QString name;
    QString maskedKey;   ///< "sk-kg-…Q3xf", or "sk-clb-AbCd…" for an imported key
    bool enabled = true;
    QDateTime expiresAt; ///< UTC; invalid = never expires
    QDateTime createdAt; ///< UTC; anchors the key's limit windows
    KeyPolicy policy;
    KeyOrigin origin = KeyOrigin::Keygate; ///< which token prefix the key answers to
};

/// Immutable SHA-256 digest → key map that auth decisions read. Built off the proxy thread and
/// handed over whole (std::shared_ptr<const KeySnapshot>), so lookups need no lock.
class KeySnapshot final
{
public:
    /// @p sha256 is the raw 32-byte digest of the plaintext key.
    void insert(const QByteArray &sha256, const KeyEntry &entry)
    {
        m_byDigest.insert(sha256, entry);
        m_maskedKeys.insert(entry.maskedKey);
    }
    /// Whether some key is masked as @p masked ("sk-kg-…Q3xf"): a cheap screen, not a lookup, that
    /// tells a throttled peer's attempts that could be a valid key (FailedAuthThrottle) without hashing.
    bool hasMaskedKey(const QString &masked) const { return m_maskedKeys.contains(masked); }
    const KeyEntry *find(const QByteArray &sha256) const
    {
        const auto it = m_byDigest.constFind(sha256);
        return it == m_byDigest.constEnd() ? nullptr : &it.value();
    }
    const KeyEntry *findById(qint64 id) const
    {
        for (const auto &entry : m_byDigest)
            if (entry.id == id)
                return &entry;
        return nullptr;
    }
    qsizetype size() const { return m_byDigest.size(); }
    QList<KeyEntry> entries() const { return m_byDigest.values(); }

private:
    QHash<QByteArray, KeyEntry> m_byDigest;
    QSet<QString> m_maskedKeys;
};

using KeySnapshotPtr = std::shared_ptr<const KeySnapshot>;

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::KeySnapshotPtr)
