// SPDX-License-Identifier: MIT
#include "app/core/backup/BackupWriter.h"

#include "app/core/backup/BackupFile.h"
#include "app/core/backup/PrivateFile.h"
#include "app/core/backup/SecretsSeal.h"
#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/Database.h"

namespace Core::BackupWriter {

namespace {

/// The secrets @p names refer to. A missing token is normal (not every account has each kind);
/// any other failure (a locked keychain) fails the backup rather than silently leaving secrets out.
Result<SecretEntries> collect(SecretStore &store, const QStringList &names, QStringList *missingKeys)
{
    SecretEntries entries;
    for (const QString &name : names) {
        SecretResult read = store.read(name);
        if (read.ok) {
            entries.append({name, std::move(read.value)});
            continue;
        }
        if (read.error != SecretError::NotFound)
            return Result<SecretEntries>::failure(QStringLiteral("cannot read %1: %2").arg(name, read.message));
        if (name.startsWith(u"key/"))
            missingKeys->append(name);
    }
    return entries;
}

} // namespace

Result<BackupReport> write(const QString &dataDir, const QString &filePath, SecretStore *secrets,
                           const QByteArray &passphrase)
{
    using R = Result<BackupReport>;
    auto image = DatabaseImage::snapshot(Database::fileName(dataDir));
    if (!image)
        return R::failure(image.status());
    const Result<DatabaseSummary> summary = image.value()->summary();
    if (!summary)
        return R::failure(summary.status());
    Result<QByteArray> bytes = image.value()->serialize();
    if (!bytes)
        return R::failure(bytes.status());

    BackupReport report;
    report.database = summary.value();
    BackupFile file;
    file.schemaVersion = report.database.schemaVersion;
    file.createdAt = QDateTime::currentDateTimeUtc();
    file.databaseImage = std::move(bytes).value();
    if (secrets) {
        Result<SecretEntries> entries = collect(*secrets, report.database.secretNames, &report.keysWithoutPlaintext);
        if (!entries)
            return R::failure(entries.status());
        if (Status sealed = SecretsSeal::seal(&file, entries.value(), passphrase); !sealed)
            return R::failure(sealed);
        report.withSecrets = true;
        report.secrets = entries.value().size();
    }
    const QByteArray encoded = file.encode();
    if (Status written = PrivateFile::replace(filePath, encoded); !written)
        return R::failure(written);
    report.file = filePath;
    report.bytes = encoded.size();
    return report;
}

} // namespace Core::BackupWriter
