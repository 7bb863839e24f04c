// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>
#include <QString>

namespace Core {

/// One row of `keys`: everything but the plaintext, which lives only in the secret store.
struct KeyRecord final
{
    qint64 id = 0;
    QString name;
    QString prefix;  ///< first 10 characters, "sk-kg-AbCd"
    QString last4;
    QString keyHash; ///< lowercase hex SHA-256 of the UTF-8 plaintext
    QDateTime createdAt;
    QDateTime expiresAt;  ///< invalid = never
    QDateTime lastUsedAt; ///< invalid = never used
    bool enabled = true;
    QString note;
    Proxy::KeyPolicy policy; ///< allowlists from the row; limits from key_limits

    /// "sk-kg-…Q3xf"
    QString maskedKey() const;
    bool isExpired(const QDateTime &now) const { return expiresAt.isValid() && expiresAt <= now; }
};

} // namespace Core
