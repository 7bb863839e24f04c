// SPDX-License-Identifier: MIT
#include "app/core/backup/Restorer.h"

#include "app/core/backup/PrivateFile.h"
#include "app/core/runtime/DataDirLock.h"
#include "app/core/secrets/SecretStoreFactory.h"
#include "app/core/storage/Database.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <optional>

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

/// What moveAside() did, so that a restore that fails later can undo it.
struct Aside final
{
    QString path;
    QStringList kept;          ///< entries of the data dir left where they were
    QStringList moved;         ///< entries of the data dir now in path
    QStringList copiedSecrets; ///< keychain entries copied to path's names
};

/// Puts the keychain secrets moveAside() copied to the replaced copy's names back under the data
/// dir's names, and removes the copies.
QString putKeychainSecretsBack(const Aside &aside, SecretStore &current)
{
    if (aside.copiedSecrets.isEmpty())
        return {};
    auto copy = createSecretStore(QStringLiteral("keychain"), aside.path);
    if (!copy)
        return copy.error();
    for (const QString &name : aside.copiedSecrets) {
        SecretResult read = copy.value()->read(name);
        const SecretResult written = read.ok ? current.write(name, read.value) : read;
        wipeBytes(read.value);
        if (!written.ok)
            return QStringLiteral("cannot put secret %1 back: %2").arg(name, written.message);
        copy.value()->remove(name);
    }
    return {};
}

/// Undoes moveAside() after a failure: deletes what the restore wrote (and the secrets
/// @p writtenSecrets), moves the entries back and puts the keychain secrets back. Returns what could
/// not be undone, empty when the data dir is as it was.
QString putBack(const Aside &aside, const QString &dataDir, const QString &secretsBackend, SecretStore &current,
                const QStringList &writtenSecrets)
{
    QDir dir(dataDir);
    for (const QString &entry : entriesOf(dataDir)) {
        if (aside.kept.contains(entry))
            continue;
        const QString path = dir.filePath(entry);
        if (!(QFileInfo(path).isDir() ? QDir(path).removeRecursively() : QFile::remove(path)))
            return QStringLiteral("cannot remove %1").arg(path);
    }
    for (const QString &entry : aside.moved) {
        if (!QDir(aside.path).rename(entry, dir.filePath(entry)))
            return QStringLiteral("cannot move %1 back").arg(QDir(aside.path).filePath(entry));
    }
    if (secretsBackend == u"keychain") { // a file store's secrets.json moved back with the files
        for (const QString &name : writtenSecrets)
            current.remove(name);
        if (const QString problem = putKeychainSecretsBack(aside, current); !problem.isEmpty())
            return problem;
    }
    QDir().rmdir(aside.path); // empty now
    return {};
}

/// Moves everything but the lock file from @p dataDir into a new sibling dir. A failure midway
/// moves back what had moved.
Result<Aside> moveAside(const QString &dataDir, const QString &secretsBackend, SecretStore &current, QString *warning)
{
    Aside aside;
    aside.path = freeSiblingName(dataDir);
    aside.kept = entriesOf(dataDir);
    if (Status created = Database::ensureDataDir(aside.path); !created)
        return Result<Aside>::failure(created);
    if (secretsBackend == u"keychain") {
        const Result<QStringList> names = copyKeychainSecrets(dataDir, aside.path, current, warning);
        if (!names)
            return Result<Aside>::failure(names.status());
        aside.copiedSecrets = names.value();
    }
    QDir dir(dataDir);
    for (const QString &entry : entriesOf(dataDir)) {
        if (!dir.rename(entry, QDir(aside.path).filePath(entry))) {
            const QString error = QStringLiteral("cannot move %1 to %2").arg(dir.filePath(entry), aside.path);
            const QString undone = putBack(aside, dataDir, secretsBackend, current, {});
            return Result<Aside>::failure(
                undone.isEmpty()
                    ? error + QStringLiteral("; the data dir is as it was")
                    : error + QStringLiteral(", and then %1 (what moved is in %2)").arg(undone, aside.path));
        }
        aside.kept.removeOne(entry);
        aside.moved.append(entry);
    }
    for (const QString &name : aside.copiedSecrets) // the copy now holds them; the restored dir must not
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
    std::optional<Aside> aside;
    if (!isEmpty(dataDir)) {
        if (!force)
            return notEmpty();
        Result<Aside> moved = moveAside(dataDir, secretsBackend, *store.value(), &warning);
        if (!moved)
            return R::failure(moved.status());
        aside = std::move(moved).value();
        report.replacedCopy = aside->path;
        store = createSecretStore(secretsBackend, dataDir); // a file store re-reads its (now absent) file
    }
    QStringList writtenSecrets;
    // A failure from here on puts the replaced data back, so the data dir is as it was before.
    const auto undo = [&](const QString &error) {
        if (!aside)
            return R::failure(error);
        const QString undone = store ? putBack(*aside, dataDir, secretsBackend, *store.value(), writtenSecrets)
                                     : QStringLiteral("the secret store could not be opened");
        return R::failure(undone.isEmpty() ? error + QStringLiteral("; the data dir is as it was")
                                           : error + QStringLiteral(", and then %1 (the replaced data is in %2)")
                                                         .arg(undone, aside->path));
    };
    if (!store)
        return undo(store.error());
    if (Status written = PrivateFile::replace(Database::fileName(dataDir), backup.file.databaseImage); !written)
        return undo(written.error());
    for (const SecretEntry &entry : backup.secrets.entries()) {
        // Only what the restored rows refer to: a crafted file cannot plant other entries in the store.
        if (!backup.database.secretNames.contains(entry.name))
            continue;
        const SecretResult written = store.value()->write(entry.name, entry.value);
        if (!written.ok)
            return undo(QStringLiteral("secret %1 could not be written: %2").arg(entry.name, written.message));
        writtenSecrets.append(entry.name);
        ++report.secretsRestored;
    }
    report.warning = warning;
    return report;
}

} // namespace Core::Restorer
