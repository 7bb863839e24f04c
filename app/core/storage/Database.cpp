// SPDX-License-Identifier: MIT
#include "app/core/storage/Database.h"

#include "app/core/storage/Migrations.h"
#include "app/core/storage/SqlUtil.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

namespace Core {

namespace {
QAtomicInteger<quint64> s_connectionCounter;
constexpr auto BusyTimeoutOption = "QSQLITE_BUSY_TIMEOUT=5000";
} // namespace

Database::~Database()
{
    close();
}

QString Database::fileName(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("keygate.db"));
}

Status Database::ensureDataDir(const QString &dataDir)
{
    if (dataDir.isEmpty())
        return Status::failure(QStringLiteral("no data directory given"));
    QDir dir(dataDir);
    if (!dir.exists() && !QDir().mkpath(dataDir))
        return Status::failure(QStringLiteral("cannot create data directory %1").arg(dataDir));
    if (!QFile::setPermissions(dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
        return Status::failure(QStringLiteral("cannot restrict permissions of %1").arg(dataDir));
    return Status::success();
}

Status Database::open(const QString &dataDir)
{
    close();
    if (const Status status = ensureDataDir(dataDir); !status)
        return status;

    m_dataDir = dataDir;
    m_connectionName = QStringLiteral("keygate-%1-%2")
                           .arg(reinterpret_cast<quintptr>(QThread::currentThreadId()))
                           .arg(s_connectionCounter.fetchAndAddRelaxed(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(fileName(dataDir));
        db.setConnectOptions(QString::fromLatin1(BusyTimeoutOption));
        if (!db.open()) {
            const QString message = db.lastError().text();
            db = QSqlDatabase();
            close();
            return Status::failure(QStringLiteral("cannot open %1: %2").arg(fileName(dataDir), message));
        }
        QFile::setPermissions(fileName(dataDir), QFile::ReadOwner | QFile::WriteOwner);

        // journal_mode persists in the file; synchronous and foreign_keys are per connection.
        // auto_vacuum takes effect only on a new file (before its first table); an older file is
        // switched by RequestLogPruner::enableIncrementalVacuum.
        const QStringList pragmas = {QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL"),
                                     QStringLiteral("PRAGMA journal_mode=WAL"),
                                     QStringLiteral("PRAGMA synchronous=NORMAL"),
                                     QStringLiteral("PRAGMA foreign_keys=ON")};
        for (const QString &pragma : pragmas) {
            if (const Status status = Sql::exec(db, pragma); !status) {
                db = QSqlDatabase();
                close();
                return status;
            }
        }
        if (const Status status = Migrations::run(db); !status) {
            db = QSqlDatabase();
            close();
            return status;
        }
    }
    return Status::success();
}

void Database::close()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool Database::isOpen() const
{
    return !m_connectionName.isEmpty() && QSqlDatabase::database(m_connectionName, false).isOpen();
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

} // namespace Core
