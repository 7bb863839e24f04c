// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/KeyRecord.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace Core {

class Database;
class SecretStore;

/// A key together with its plaintext, returned exactly by create() and regenerate().
struct CreatedKey final
{
    KeyRecord record;
    QString plaintext;
};

/// Key management used by the CLI and the GUI: validation, the `keys` rows and the plaintext in
/// the secret store (`key/<id>`), kept consistent. Main thread only (it uses the SecretStore).
class KeyService final
{
    Q_DISABLE_COPY_MOVE(KeyService)

public:
    KeyService(Database &database, SecretStore &secrets);

    /// Name: 1–128 characters after trimming, unique. @p expiresAt must lie in the future.
    Result<CreatedKey> create(const QString &name, const std::optional<QDateTime> &expiresAt = std::nullopt,
                              const QString &note = {});
    Result<QList<KeyRecord>> list() const;
    /// A number is tried as an id first, then as a name.
    Result<KeyRecord> find(const QString &idOrName) const;
    Result<KeyRecord> findById(qint64 id) const;
    Result<KeyRecord> setEnabled(qint64 id, bool enabled);
    /// Deletes the row (the key stops working at once) and its secret; a secret that could not be
    /// removed is reported as a warning.
    Status remove(qint64 id);
    /// New plaintext and hash for the same id/name; the old key stops working.
    Result<CreatedKey> regenerate(qint64 id);
    /// The plaintext, read from the secret store.
    Result<QString> reveal(qint64 id);

    static Result<QString> validateName(const QString &name);

private:
    Database &m_database;
    SecretStore &m_secrets;
};

} // namespace Core
