// SPDX-License-Identifier: MIT
#include "app/core/backup/DatabaseImage.h"

#include "app/core/storage/AccountRecord.h"
#include "app/core/storage/Migrations.h"
#include "app/core/secrets/SecretStore.h"

#include <QFileInfo>

#include <sqlite3.h>

#include <memory>

namespace Core {

namespace {

constexpr int BusyTimeoutMs = 5000;
constexpr int WalFormatOffsets[] = {18, 19}; // file format write/read version: 1 rollback, 2 WAL

QString errorOf(sqlite3 *db)
{
    return QString::fromUtf8(sqlite3_errmsg(db));
}

/// Runs @p sql and calls @p row for each result row.
template <typename RowFn>
bool query(sqlite3 *db, const char *sql, RowFn row)
{
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK)
        return false;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW)
        row(statement);
    sqlite3_finalize(statement);
    return step == SQLITE_DONE;
}

QString textColumn(sqlite3_stmt *statement, int column)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, column)));
}

sqlite3 *openMemory()
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return nullptr;
    }
    return db;
}

} // namespace

DatabaseImage::~DatabaseImage()
{
    sqlite3_close(m_db);
}

Result<std::unique_ptr<DatabaseImage>> DatabaseImage::snapshot(const QString &databaseFile)
{
    using R = Result<std::unique_ptr<DatabaseImage>>;
    if (!QFileInfo(databaseFile).isFile())
        return R::failure(QStringLiteral("no database at %1 (nothing to back up)").arg(databaseFile));
    sqlite3 *source = nullptr;
    // Read-write without CREATE: a WAL reader may have to create the -shm file.
    if (sqlite3_open_v2(databaseFile.toUtf8().constData(), &source, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const QString message = errorOf(source);
        sqlite3_close(source);
        return R::failure(QStringLiteral("cannot open %1: %2").arg(databaseFile, message));
    }
    sqlite3_busy_timeout(source, BusyTimeoutMs);
    std::unique_ptr<DatabaseImage> image(new DatabaseImage);
    image->m_db = openMemory();
    if (!image->m_db) {
        sqlite3_close(source);
        return R::failure(QStringLiteral("cannot open an in-memory database"));
    }
    // One step over all pages: a single read transaction, hence a consistent snapshot, however
    // busy serve is. (Stepping in chunks would restart whenever another connection writes.)
    sqlite3_backup *backup = sqlite3_backup_init(image->m_db, "main", source, "main");
    int step = SQLITE_ERROR;
    if (backup) {
        while ((step = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
            sqlite3_sleep(50);
        sqlite3_backup_finish(backup);
    }
    const QString message = backup ? QString::fromUtf8(sqlite3_errstr(step)) : errorOf(image->m_db);
    sqlite3_close(source);
    if (step != SQLITE_DONE)
        return R::failure(QStringLiteral("cannot copy %1: %2").arg(databaseFile, message));
    return image;
}

Result<std::unique_ptr<DatabaseImage>> DatabaseImage::load(const QByteArray &image)
{
    using R = Result<std::unique_ptr<DatabaseImage>>;
    const auto damaged = [](const QString &why) {
        return R::failure(QStringLiteral("the backup's database is damaged: %1").arg(why));
    };
    if (image.size() < 100 || !image.startsWith("SQLite format 3"))
        return damaged(QStringLiteral("not an SQLite database"));
    std::unique_ptr<DatabaseImage> loaded(new DatabaseImage);
    loaded->m_loaded = image;
    loaded->m_loaded.detach();
    loaded->m_db = openMemory();
    if (!loaded->m_db)
        return R::failure(QStringLiteral("cannot open an in-memory database"));
    auto *buffer = reinterpret_cast<unsigned char *>(loaded->m_loaded.data());
    if (sqlite3_deserialize(loaded->m_db, "main", buffer, loaded->m_loaded.size(), loaded->m_loaded.size(),
                            SQLITE_DESERIALIZE_READONLY)
        != SQLITE_OK)
        return damaged(errorOf(loaded->m_db));
    QStringList problems;
    if (!query(loaded->m_db, "PRAGMA integrity_check", [&problems](sqlite3_stmt *row) {
            if (const QString line = textColumn(row, 0); line != u"ok")
                problems.append(line);
        }))
        return damaged(errorOf(loaded->m_db));
    if (!problems.isEmpty())
        return damaged(problems.mid(0, 3).join(QStringLiteral("; ")));
    const Result<DatabaseSummary> summary = loaded->summary();
    if (!summary)
        return damaged(summary.error());
    if (summary.value().schemaVersion > Migrations::latestVersion())
        return R::failure(QStringLiteral("the backup comes from a newer Keygate (schema %1; this one knows up to %2)")
                              .arg(summary.value().schemaVersion)
                              .arg(Migrations::latestVersion()));
    return loaded;
}

Result<QByteArray> DatabaseImage::serialize() const
{
    sqlite3_int64 size = 0;
    unsigned char *data = sqlite3_serialize(m_db, "main", &size, 0);
    if (!data)
        return Result<QByteArray>::failure(QStringLiteral("cannot serialize the database: %1").arg(errorOf(m_db)));
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    sqlite3_free(data);
    // The copy keeps the source's WAL marker, and an image marked WAL neither deserializes nor
    // opens without its -wal file; mark it rollback (Database::open switches the file back to WAL).
    for (const int offset : WalFormatOffsets) {
        if (bytes.size() > offset)
            bytes[offset] = 1;
    }
    return bytes;
}

Result<DatabaseSummary> DatabaseImage::summary() const
{
    DatabaseSummary summary;
    bool ok = query(m_db, "PRAGMA user_version",
                    [&summary](sqlite3_stmt *row) { summary.schemaVersion = sqlite3_column_int(row, 0); });
    ok = ok && query(m_db, "SELECT id FROM keys ORDER BY id", [&summary](sqlite3_stmt *row) {
        ++summary.keys;
        summary.secretNames.append(SecretStore::keySecretName(sqlite3_column_int64(row, 0)));
    });
    ok = ok && query(m_db, "SELECT secret_prefix FROM accounts ORDER BY id", [&summary](sqlite3_stmt *row) {
        ++summary.accounts;
        AccountRecord account;
        account.secretPrefix = textColumn(row, 0);
        summary.secretNames += {account.accessSecretName(), account.refreshSecretName(), account.idTokenSecretName()};
    });
    if (!ok)
        return Result<DatabaseSummary>::failure(QStringLiteral("not a Keygate database (%1)").arg(errorOf(m_db)));
    return summary;
}

} // namespace Core
