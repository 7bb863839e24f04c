// SPDX-License-Identifier: MIT
#include "app/core/services/KeyService.h"

#include "app/core/secrets/SecretStore.h"
#include "app/core/services/KeyMaterial.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/KeyRepository.h"

namespace Core {

namespace {
constexpr int MaxNameLength = 128;

QString secretFailure(const QString &what, const SecretResult &result)
{
    return QStringLiteral("%1: %2").arg(what, result.message);
}
} // namespace

KeyService::KeyService(Database &database, SecretStore &secrets, UnstoredSecret unstored)
    : m_database(database), m_secrets(secrets), m_unstored(unstored)
{}

QString KeyService::importedPlaintextUnknown(const KeyRecord &record)
{
    return QStringLiteral("key %1 \"%2\" was imported from codex-lb, which kept only its hash: its plaintext (%3) "
                          "is unknown to Keygate and cannot be shown. It keeps working; regenerate it to get a "
                          "Keygate key you can reveal")
        .arg(record.id)
        .arg(record.name, record.maskedKey());
}

Result<QString> KeyService::validateName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return Result<QString>::failure(QStringLiteral("the key name must not be empty"));
    if (trimmed.size() > MaxNameLength)
        return Result<QString>::failure(
            QStringLiteral("the key name must be at most %1 characters").arg(MaxNameLength));
    return trimmed;
}

Result<CreatedKey> KeyService::create(const QString &name, const std::optional<QDateTime> &expiresAt,
                                      const QString &note)
{
    const Result<QString> validName = validateName(name);
    if (!validName)
        return Result<CreatedKey>::failure(validName.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (expiresAt && (!expiresAt->isValid() || *expiresAt <= now))
        return Result<CreatedKey>::failure(QStringLiteral("the expiry must be a valid time in the future"));

    KeyRepository repository(m_database.connection());
    const auto existing = repository.findByName(validName.value());
    if (!existing)
        return Result<CreatedKey>::failure(existing.error());
    if (existing.value())
        return Result<CreatedKey>::failure(QStringLiteral("a key named \"%1\" already exists").arg(validName.value()));

    const KeyMaterial material = KeyMaterial::generate();
    KeyRecord record;
    record.name = validName.value();
    record.prefix = material.prefix;
    record.last4 = material.last4;
    record.keyHash = material.hashHex;
    record.createdAt = now;
    record.expiresAt = expiresAt.value_or(QDateTime());
    record.enabled = true;
    record.note = note;
    const Result<qint64> id = repository.insert(record);
    if (!id)
        return Result<CreatedKey>::failure(id.error());
    record.id = id.value();

    const SecretResult written = m_secrets.write(SecretStore::keySecretName(record.id), material.plaintext.toUtf8());
    if (!written.ok && m_unstored == UnstoredSecret::Refuse) {
        repository.remove(record.id); // a key whose plaintext cannot be kept must not exist
        QString message = secretFailure(QStringLiteral("cannot store the new key"), written);
        if (!message.contains(QLatin1String("--secrets file")))
            message += QStringLiteral(" (use --secrets file to keep keys in a file)");
        return Result<CreatedKey>::failure(message);
    }
    const auto stored = repository.findById(record.id);
    if (stored && stored.value())
        record = *stored.value();
    return CreatedKey{record, material.plaintext, written};
}

Result<QList<KeyRecord>> KeyService::list() const
{
    const Result<QList<KeyRecord>> records = KeyRepository(m_database.connection()).list();
    if (!records)
        return records;
    const auto limits = KeyLimitRepository(m_database.connection()).all();
    if (!limits)
        return Result<QList<KeyRecord>>::failure(limits.error());
    QList<KeyRecord> complete = records.value();
    for (KeyRecord &record : complete)
        record.policy.limits = limits.value().value(record.id);
    return complete;
}

Result<KeyRecord> KeyService::findById(qint64 id) const
{
    const auto found = KeyRepository(m_database.connection()).findById(id);
    if (!found)
        return Result<KeyRecord>::failure(found.error());
    if (!found.value())
        return Result<KeyRecord>::failure(QStringLiteral("no key with id %1").arg(id));
    return withLimits(*found.value());
}

Result<KeyRecord> KeyService::withLimits(KeyRecord record) const
{
    const auto limits = KeyLimitRepository(m_database.connection()).forKey(record.id);
    if (!limits)
        return Result<KeyRecord>::failure(limits.error());
    record.policy.limits = limits.value();
    return record;
}

Result<KeyRecord> KeyService::find(const QString &idOrName) const
{
    KeyRepository repository(m_database.connection());
    bool isNumber = false;
    const qint64 id = idOrName.trimmed().toLongLong(&isNumber);
    if (isNumber) {
        const auto byId = repository.findById(id);
        if (!byId)
            return Result<KeyRecord>::failure(byId.error());
        if (byId.value())
            return withLimits(*byId.value());
    }
    const auto byName = repository.findByName(idOrName.trimmed());
    if (!byName)
        return Result<KeyRecord>::failure(byName.error());
    if (!byName.value())
        return Result<KeyRecord>::failure(QStringLiteral("no key with id or name \"%1\"").arg(idOrName));
    return withLimits(*byName.value());
}

Result<KeyRecord> KeyService::setEnabled(qint64 id, bool enabled)
{
    if (const Status status = KeyRepository(m_database.connection()).setEnabled(id, enabled); !status)
        return Result<KeyRecord>::failure(status);
    return findById(id);
}

Result<KeyRecord> KeyService::update(qint64 id, const QString &name, const QString &note,
                                     const std::optional<QDateTime> &expiresAt)
{
    const Result<KeyRecord> current = findById(id);
    if (!current)
        return current;
    const Result<QString> validName = validateName(name);
    if (!validName)
        return Result<KeyRecord>::failure(validName.error());
    const QDateTime newExpiry = expiresAt.value_or(QDateTime());
    const bool expiryChanged = newExpiry.isValid() != current.value().expiresAt.isValid() ||
                               (newExpiry.isValid() && newExpiry != current.value().expiresAt);
    if (expiryChanged && newExpiry.isValid() && newExpiry <= QDateTime::currentDateTimeUtc())
        return Result<KeyRecord>::failure(QStringLiteral("the expiry must be a valid time in the future"));

    KeyRepository repository(m_database.connection());
    const auto sameName = repository.findByName(validName.value());
    if (!sameName)
        return Result<KeyRecord>::failure(sameName.error());
    if (sameName.value() && sameName.value()->id != id)
        return Result<KeyRecord>::failure(
            QStringLiteral("a key named \"%1\" already exists").arg(validName.value()));
    if (const Status status = repository.update(id, validName.value(), note, newExpiry); !status)
        return Result<KeyRecord>::failure(status);
    return findById(id);
}

Status KeyService::remove(qint64 id, SecretResult *secretOutcome)
{
    if (const Status status = KeyRepository(m_database.connection()).remove(id); !status)
        return status;
    const SecretResult removed = m_secrets.remove(SecretStore::keySecretName(id));
    if (secretOutcome)
        *secretOutcome = removed;
    if (!removed.ok && removed.error != SecretError::NotFound)
        return Status::success(secretFailure(QStringLiteral("key deleted, but its stored plaintext was not removed"),
                                             removed));
    return Status::success();
}

Result<CreatedKey> KeyService::regenerate(qint64 id)
{
    Result<KeyRecord> record = findById(id);
    if (!record)
        return Result<CreatedKey>::failure(record.error());
    const QString secretName = SecretStore::keySecretName(id);
    const SecretResult previous = m_secrets.read(secretName);

    // Secret first: if it cannot be stored (and that is refused), nothing has changed.
    const KeyMaterial material = KeyMaterial::generate();
    const SecretResult written = m_secrets.write(secretName, material.plaintext.toUtf8());
    if (!written.ok && m_unstored == UnstoredSecret::Refuse)
        return Result<CreatedKey>::failure(secretFailure(QStringLiteral("cannot store the new key"), written));
    const Status updated =
        KeyRepository(m_database.connection()).updateMaterial(id, material.prefix, material.last4, material.hashHex);
    if (!updated) {
        if (previous.ok && written.ok)
            m_secrets.write(secretName, previous.value);
        return Result<CreatedKey>::failure(updated);
    }
    if (!written.ok && previous.ok)
        m_secrets.remove(secretName); // the old plaintext no longer works; do not keep it around
    record = findById(id);
    if (!record)
        return Result<CreatedKey>::failure(record.error());
    return CreatedKey{record.value(), material.plaintext, written};
}

Result<QString> KeyService::reveal(qint64 id, SecretResult *secretOutcome)
{
    const Result<KeyRecord> record = findById(id);
    if (!record)
        return Result<QString>::failure(record.error());
    if (record.value().isImported())
        return Result<QString>::failure(importedPlaintextUnknown(record.value()));
    const SecretResult secret = m_secrets.read(SecretStore::keySecretName(id));
    if (secretOutcome)
        *secretOutcome = SecretResult{secret.ok, {}, secret.error, secret.message};
    if (!secret.ok) {
        if (secret.error == SecretError::NotFound)
            return Result<QString>::failure(
                QStringLiteral("the plaintext of key %1 is not in the %2 secret store (created with another "
                               "--secrets backend?); regenerate the key to get a new one")
                    .arg(id)
                    .arg(m_secrets.backendName()));
        return Result<QString>::failure(secretFailure(QStringLiteral("cannot read the key"), secret));
    }
    const QString plaintext = QString::fromUtf8(secret.value);
    if (KeyMaterial::sha256Hex(plaintext) != record.value().keyHash)
        return Result<QString>::failure(
            QStringLiteral("the stored plaintext of key %1 does not match its hash; regenerate the key").arg(id));
    return plaintext;
}

} // namespace Core
