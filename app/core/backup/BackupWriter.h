// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/backup/DatabaseImage.h"

#include <QStringList>

namespace Core {

class SecretStore;

/// What `keygate backup` wrote.
struct BackupReport final
{
    QString file;
    qint64 bytes = 0;
    bool withSecrets = false;
    qint64 secrets = 0;         ///< secret-store entries sealed into the file
    QStringList keysWithoutPlaintext; ///< key/<id> names the store did not have (the key still works by hash)
    DatabaseSummary database;
};

/// Writes one backup file of a data dir: a snapshot of its database and, when a secret store and
/// passphrase are given, the secrets its rows refer to, sealed. Safe while serve or the console
/// runs. Main thread (the secret store is synchronous).
namespace BackupWriter {

/// @p secrets null: no secrets section. The file is written next to @p filePath first, with mode
/// 0600, and renamed into place, so a failure never leaves half a backup under that name.
Result<BackupReport> write(const QString &dataDir, const QString &filePath, SecretStore *secrets,
                           const QByteArray &passphrase);

} // namespace BackupWriter

} // namespace Core
