// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/KeyRecord.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace Core {

/// SQL for the `keys` table on one connection (the caller's thread).
class KeyRepository final
{
public:
    explicit KeyRepository(QSqlDatabase db);

    Result<QList<KeyRecord>> list() const;
    Result<std::optional<KeyRecord>> findById(qint64 id) const;
    Result<std::optional<KeyRecord>> findByName(const QString &name) const;
    /// @p keyHash: lowercase hex SHA-256.
    Result<std::optional<KeyRecord>> findByHash(const QString &keyHash) const;
    /// Inserts @p record (its id is ignored) and returns the new id.
    Result<qint64> insert(const KeyRecord &record);
    /// New Keygate key material: an imported key becomes a Keygate key (origin 'keygate').
    Status updateMaterial(qint64 id, const QString &prefix, const QString &last4, const QString &keyHash);
    Status setEnabled(qint64 id, bool enabled);
    /// Sets name, note and expiry (invalid = never).
    Status update(qint64 id, const QString &name, const QString &note, const QDateTime &expiresAt);
    /// Empty = every model / effort (stored as NULL).
    Status setAllowedModels(qint64 id, const QStringList &models);
    Status setAllowedEfforts(qint64 id, const QStringList &efforts);
    Status remove(qint64 id);

private:
    Result<std::optional<KeyRecord>> findOne(const QString &where, const QVariant &value) const;
    Status expectOneRow(const Status &status, int rowsAffected, qint64 id) const;

    QSqlDatabase m_db;
};

} // namespace Core
