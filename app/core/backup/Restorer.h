// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/backup/BackupReader.h"

namespace Core {

/// What `keygate restore` did.
struct RestoreReport final
{
    QString dataDir;
    QString replacedCopy; ///< where the replaced data dir went (--force on a non-empty dir), else empty
    qint64 secretsRestored = 0;
    QString warning; ///< e.g. the replaced database was unreadable, so its keychain secrets stayed put
    DatabaseSummary database;
};

/// Puts a verified backup into a data dir. Holds the data dir's lock exclusively throughout, so
/// no serve or console runs on it meanwhile (and refuses while one does).
namespace Restorer {

/// True when @p dataDir is missing or holds nothing but the lock file.
bool isEmpty(const QString &dataDir);

/// Restores @p backup into @p dataDir, using the @p secretsBackend ("keychain"/"file") store of
/// that dir. A non-empty dir is refused unless @p force; then everything in it moves to a sibling
/// `<dataDir>.replaced-<UTC time>` first, and (keychain) the secrets its database refers to are
/// copied to that dir's keychain entries, so `--data-dir <that dir>` runs exactly as before.
Result<RestoreReport> restore(const VerifiedBackup &backup, const QString &dataDir, const QString &secretsBackend,
                              bool force);

} // namespace Restorer

} // namespace Core
