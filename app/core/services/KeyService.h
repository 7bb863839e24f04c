// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/KeyRecord.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace Core {

class Database;

/// A key together with its plaintext, returned exactly by create() and regenerate().
struct CreatedKey final
{
    KeyRecord record;
    QString plaintext;
    /// The outcome of writing the plaintext to the secret store. Not ok only under
    /// UnstoredSecret::ShowOnce: the key works, but this plaintext is the only copy.
    SecretResult secretWrite = SecretResult::success();

    bool isStored() const { return secretWrite.ok; }
};

/// What create() and regenerate() do when the secret store cannot keep the plaintext.
enum class UnstoredSecret
{
    Refuse,  ///< fail and change nothing (the CLI: the user can choose `--secrets file`)
    ShowOnce ///< keep the key; the caller shows the plaintext once (the console)
};

/// Key management used by the CLI and the GUI: validation, the `keys` rows and the plaintext in
/// the secret store (`key/<id>`), kept consistent. Main thread only (it uses the SecretStore).
class KeyService final
{
    Q_DISABLE_COPY_MOVE(KeyService)

public:
    KeyService(Database &database, SecretStore &secrets, UnstoredSecret unstored = UnstoredSecret::Refuse);

    /// Name: 1–128 characters after trimming, unique. @p expiresAt must lie in the future.
    Result<CreatedKey> create(const QString &name, const std::optional<QDateTime> &expiresAt = std::nullopt,
                              const QString &note = {});
    Result<QList<KeyRecord>> list() const;
    /// A number is tried as an id first, then as a name.
    Result<KeyRecord> find(const QString &idOrName) const;
    Result<KeyRecord> findById(qint64 id) const;
    Result<KeyRecord> setEnabled(qint64 id, bool enabled);
    /// Renames the key and sets its note and expiry (nullopt = never). The name is validated as in
    /// create() and must stay unique; a changed expiry must lie in the future.
    Result<KeyRecord> update(qint64 id, const QString &name, const QString &note,
                             const std::optional<QDateTime> &expiresAt);
    /// Deletes the row (the key stops working at once) and its secret; a secret that could not be
    /// removed is reported as a warning. @p secretOutcome (optional) receives the secret store's result.
    Status remove(qint64 id, SecretResult *secretOutcome = nullptr);
    /// New plaintext and hash for the same id/name; the old key stops working.
    Result<CreatedKey> regenerate(qint64 id);
    /// The plaintext, read from the secret store; an error for an imported key (see
    /// importedPlaintextUnknown()). @p secretOutcome (optional) receives the store's
    /// result (without the value), e.g. for SecretStoreStatus.
    Result<QString> reveal(qint64 id, SecretResult *secretOutcome = nullptr);

    static Result<QString> validateName(const QString &name);
    /// Why reveal() refuses an imported key: Keygate never had its plaintext.
    static QString importedPlaintextUnknown(const KeyRecord &record);

private:
    Result<KeyRecord> withLimits(KeyRecord record) const;

    Database &m_database;
    SecretStore &m_secrets;
    UnstoredSecret m_unstored;
};

} // namespace Core
