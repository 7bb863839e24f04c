// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/KeySnapshot.h"
#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>
#include <QString>

namespace Core {

/// One row of `keys`: everything but the plaintext, which lives only in the secret store.
struct KeyRecord final
{
    qint64 id = 0;
    QString name;
    QString prefix;  ///< first 10 characters, "sk-kg-AbCd"; codex-lb's 15 for an imported key
    QString last4;   ///< empty for an imported key: codex-lb never stored the end of its keys
    QString keyHash; ///< lowercase hex SHA-256 of the UTF-8 plaintext
    QDateTime createdAt;
    QDateTime expiresAt;  ///< invalid = never
    QDateTime lastUsedAt; ///< invalid = never used
    bool enabled = true;
    QString note;
    Proxy::KeyOrigin origin = Proxy::KeyOrigin::Keygate; ///< codex-lb: imported, its plaintext is unknown
    Proxy::KeyPolicy policy; ///< allowlists from the row; limits from key_limits

    /// "sk-kg-…Q3xf", or "sk-clb-AbCd…" for an imported key (its last 4 characters are unknown).
    QString maskedKey() const;
    bool isImported() const { return origin == Proxy::KeyOrigin::CodexLb; }
    /// "keygate" or "codex-lb", as stored in keys.origin.
    static QString originName(Proxy::KeyOrigin origin);
    bool isExpired(const QDateTime &now) const { return expiresAt.isValid() && expiresAt <= now; }
};

} // namespace Core
