// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QByteArray>
#include <QStringList>

struct sqlite3;

namespace Core {

/// What a database holds, as a backup reports it.
struct DatabaseSummary final
{
    int schemaVersion = 0;
    qint64 keys = 0;
    qint64 accounts = 0;
    /// Every secret-store name the rows refer to: `key/<id>` per key, the token names per account.
    QStringList secretNames;
};

/// An in-memory SQLite database: either a consistent copy of a data dir's `keygate.db`, taken
/// with the online backup API while other connections (serve, the console) go on writing, or a
/// backup's image, checked before anything is restored from it.
class DatabaseImage final
{
    Q_DISABLE_COPY_MOVE(DatabaseImage)

public:
    ~DatabaseImage();

    /// Copies @p databaseFile (which must exist) page by page; a writer elsewhere restarts nothing,
    /// the copy is one transaction-consistent snapshot.
    static Result<std::unique_ptr<DatabaseImage>> snapshot(const QString &databaseFile);
    /// Loads @p image and checks it: SQLite's integrity_check, the tables Keygate needs, and a
    /// schema no newer than this Keygate's.
    static Result<std::unique_ptr<DatabaseImage>> load(const QByteArray &image);

    /// The database file bytes, marked as rollback-journal (not WAL), so they open as a plain file.
    Result<QByteArray> serialize() const;
    Result<DatabaseSummary> summary() const;

private:
    DatabaseImage() = default;
    sqlite3 *m_db = nullptr;
    QByteArray m_loaded; // the buffer load() deserialized from; SQLite reads it in place
};

} // namespace Core
