// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/backup/BackupFile.h"
#include "app/core/backup/DatabaseImage.h"
#include "app/core/backup/SecretEntries.h"

#include <memory>
#include <optional>

namespace Core {

/// A backup file read and checked in full: the header and checksum, the database image
/// (integrity_check, schema), and the secrets decrypted. Nothing is restored from a backup
/// before all of this has passed.
struct VerifiedBackup final
{
    BackupFile file;
    DatabaseSummary database;
    SecretEntries secrets;
    bool secretsSkipped = false; ///< the file has secrets, but they were not asked for
};

namespace BackupReader {

/// Reads and decodes @p path (header, lengths, checksum); the secrets stay sealed.
Result<BackupFile> read(const QString &path);

/// Checks @p file's database and opens its secrets with @p passphrase; nullopt skips them (the
/// database is still checked).
Result<std::unique_ptr<VerifiedBackup>> verify(BackupFile file, const std::optional<QByteArray> &passphrase);

} // namespace BackupReader

} // namespace Core
