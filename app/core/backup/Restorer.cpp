// SPDX-License-Identifier: MIT
#include "app/core/backup/Restorer.h"

#include "app/core/backup/PrivateFile.h"
#include "app/core/runtime/DataDirLock.h"
#include "app/core/secrets/SecretStoreFactory.h"
#include "app/core/storage/Database.h"

#include <QDateTime>
#include <QDir>

namespace Core::Restorer {

namespace {

QStringList entriesOf(const QString &dataDir)
{
    QStringList entries = QDir(dataDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    entries.removeAll(DataDirLock::fileName());
    return entries;
}

QString freeSiblingName(const QString &dataDir)
{
    const QString base = QDir::cleanPath(dataDir) + QStringLiteral(".replaced-")
                         + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString candidate = base;
    for (int n = 2; QFileInfo::exists(candidate); ++n)
        candidate = base + u'-' + QString::number(n);
    return candidate;
}

/// Keychain entries are named after the data dir, so the replaced dir's secrets must be copied to
/// the new dir's entries (a file store's secrets.json simply moves with the files). Returns the
/// names copied, which the caller removes from @p current once the files have moved too.
Result<QStringList> copyKeychainSecrets(const QString &from, const QString &to, SecretStore &current, QString *warning)
{
    auto image = DatabaseImage::snapshot(Database::fileName(from));
    const Result<DatabaseSummary> summary = image ? image.value()->summary() : Result<DatabaseSummary>::failure(image.status());
    if (!summary) {
        *warning = QStringLiteral("the replaced database could not be read (%1), so its keychain secrets were "
                                  "left where they were").arg(summary.error());
        return QStringList();
    }
    auto aside = createSecretStore(QStringLiteral("keychain"), to);
    if (!aside)
        return Result<QStringList>::failure(aside.status());
    QStringList copied;
    for (const QString &name : summary.value().secretNames) {
        SecretResult read = current.read(name);
        if (!read.ok && read.error == SecretError::NotFound)
            continue;
        SecretResult written = read.ok ? aside.value()->write(name, read.value) : read;
        wipeBytes(read.value);
        if (!written.ok)
            return Result<QStringList>::failure(
                QStringLiteral("cannot keep a copy of secret %1: %2").arg(name, written.message));
        copied.append(name);
    }
    return copied;
}

/// Moves everything but the lock file from @p dataDir into a new sibling dir; returns its path.
Result<QString> moveAside(const QString &dataDir, const QString &secretsBackend, SecretStore &current, QString *warning)
{
    const QString aside = freeSiblingName(dataDir);
    if (Status created = Database::ensureDataDir(aside); !created)
        return Result<QString>::failure(created);
    QStringList copied;
    if (secretsBackend == u"keychain") {
        const Result<QStringList> names = copyKeychainSecrets(dataDir, aside, current, warning);
        if (!names)
            return Result<QString>::failure(names.status());
        copied = names.value();
    }
    QDir dir(dataDir);
    for (const QString &entry : entriesOf(dataDir)) {
        if (!dir.rename(entry, QDir(aside).filePath(entry)))
            return Result<QString>::failure(QStringLiteral("cannot move %1 to %2 (what was moved so far is there)")
                                                .arg(dir.filePath(entry), aside));
    }
    for (const QString &name : copied) // the copy now holds them; the restored dir must not
        current.remove(name);
    return aside;
}

} // namespace

bool isEmpty(const QString &dataDir)
{
    return entriesOf(dataDir).isEmpty();
}

Result<RestoreReport> restore(const VerifiedBackup &backup, const QString &dataDir, const QString &secretsBackend,
                              bool force)
{
    using R = Result<RestoreReport>;
    const auto notEmpty = [&dataDir] {
        return R::failure(QStringLiteral("%1 is not empty; restore into an empty data dir (--data-dir DIR), or "
                                         "add --force to replace it (a copy of it is kept)")
                              .arg(QDir::toNativeSeparators(dataDir)));
    };
    if (!force && !isEmpty(dataDir))
        return notEmpty(); // before the lock: a refusal leaves not even a lock file behind
    if (Status created = Database::ensureDataDir(dataDir); !created)
        return R::failure(created);
    auto lock = DataDirLock::acquire(dataDir, DataDirLock::Mode::Exclusive);
    if (!lock)
        return R::failure(lock.status());
    auto store = createSecretStore(secretsBackend, dataDir);
    if (!store)
        return R::failure(store.status());
    // A locked or missing keychain must fail now, before anything has moved.
    if (const SecretResult probe = store.value()->read(SecretStore::keySecretName(0));
        !probe.ok && probe.error != SecretError::NotFound)
        return R::failure(probe.message);

    RestoreReport report;
    report.dataDir = dataDir;
    report.database = backup.database;
    QString warning;
    if (!isEmpty(dataDir)) {
        if (!force)
            return notEmpty();
        Result<QString> aside = moveAside(dataDir, secretsBackend, *store.value(), &warning);
        if (!aside)
            return R::failure(aside.status());
        report.replacedCopy = aside.value();
        store = createSecretStore(secretsBackend, dataDir); // a file store re-reads its (now absent) file
        if (!store)
            return R::failure(store.status());
    }
    if (Status written = PrivateFile::replace(Database::fileName(dataDir), backup.file.databaseImage); !written)
        return R::failure(written);
    for (const SecretEntry &entry : backup.secrets.entries()) {
        // Only what the restored rows refer to: a crafted file cannot plant other entries in the store.
        if (!backup.database.secretNames.contains(entry.name))
            continue;
        const SecretResult written = store.value()->write(entry.name, entry.value);
        if (!written.ok)
            return R::failure(QStringLiteral("the database was restored, but secret %1 could not be written: %2")
                                  .arg(entry.name, written.message));
        ++report.secretsRestored;
    }
    report.warning = warning;
    return report;
}

} // namespace Core::Restorer
