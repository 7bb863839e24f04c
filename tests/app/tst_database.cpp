// SPDX-License-Identifier: MIT
#include "app/core/storage/Database.h"
#include "app/core/storage/Migrations.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

class tst_Database final : public QObject
{
    Q_OBJECT

private slots:
    void open_emptyDir_createsSchemaAtLatestVersion()
    {
        QTemporaryDir tmp;
        const QString dataDir = tmp.filePath(QStringLiteral("nested/data"));
        Database db;
        const Status status = db.open(dataDir);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QCOMPARE(Migrations::currentVersion(db.connection()), Migrations::latestVersion());
        QSqlQuery query(db.connection());
        QVERIFY(query.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")));
        QStringList tables;
        while (query.next())
            tables.append(query.value(0).toString());
        for (const char *table : {"accounts", "auth_events", "keys", "request_log", "settings"})
            QVERIFY2(tables.contains(QLatin1String(table)), table);
        QVERIFY(!tables.contains(QStringLiteral("upstream"))); // became the first account
    }

    void migrationV2_singleUpstreamBecomesTheDefaultAccount()
    {
        QTemporaryDir tmp;
        {
            QSqlDatabase legacy = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("legacy"));
            legacy.setDatabaseName(Database::fileName(tmp.path()));
            QVERIFY(legacy.open());
            QVERIFY(Migrations::run(legacy, 1).ok());
            QCOMPARE(Migrations::currentVersion(legacy), 1);
            QSqlQuery insert(legacy);
            QVERIFY(insert.exec(QStringLiteral("INSERT INTO upstream (id, kind, base_url, account_id, updated_at) VALUES"
                                               " (1, 'codex', 'https://chatgpt.com/backend-api', 'acct-1',"
                                               " '2026-01-02T03:04:05.000Z')")));
            QVERIFY(insert.exec(QStringLiteral("INSERT INTO request_log (time, route) VALUES ('2026-01-02T03:04:05.000Z', '/v1/responses')")));
            legacy.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("legacy"));
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(Migrations::currentVersion(db.connection()), Migrations::latestVersion());
        QSqlQuery query(db.connection());
        QVERIFY(query.exec(QStringLiteral("SELECT name, kind, base_url, chatgpt_account_id, state, priority, secret_prefix"
                                          " FROM accounts")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("default"));
        QCOMPARE(query.value(1).toString(), QStringLiteral("chatgpt"));
        QCOMPARE(query.value(2).toString(), QStringLiteral("https://chatgpt.com/backend-api"));
        QCOMPARE(query.value(3).toString(), QStringLiteral("acct-1"));
        QCOMPARE(query.value(4).toString(), QStringLiteral("active"));
        QCOMPARE(query.value(5).toInt(), 0);
        QCOMPARE(query.value(6).toString(), QStringLiteral("upstream")); // tokens stay at upstream/token
        QVERIFY(!query.next());
        QVERIFY(query.exec(QStringLiteral("SELECT route, account_id FROM request_log")) && query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("/v1/responses"));
        QVERIFY(query.value(1).isNull());
    }

    void open_dataDir_isOwnerOnly()
    {
        QTemporaryDir tmp;
        const QString dataDir = tmp.filePath(QStringLiteral("data"));
        Database db;
        QVERIFY(db.open(dataDir).ok());
        const QFileInfo info(dataDir);
        QCOMPARE(info.permissions() & 0x0777, QFile::ReadUser | QFile::WriteUser | QFile::ExeUser); // 0700
        QVERIFY(QFileInfo::exists(Database::fileName(dataDir)));
    }

    void open_twice_migrationsAreIdempotent()
    {
        QTemporaryDir tmp;
        {
            Database first;
            QVERIFY(first.open(tmp.path()).ok());
            QSqlQuery insert(first.connection());
            QVERIFY(insert.exec(QStringLiteral("INSERT INTO settings (name, value) VALUES ('listen', '127.0.0.1:1')")));
        }
        Database second;
        const Status status = second.open(tmp.path());
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QCOMPARE(Migrations::currentVersion(second.connection()), Migrations::latestVersion());
        QVERIFY(Migrations::run(second.connection()).ok());
        QSqlQuery query(second.connection());
        QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM settings")) && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
    }

    void open_setsPragmas_walForeignKeysNormal()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QSqlQuery query(db.connection());
        QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode")) && query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(query.exec(QStringLiteral("PRAGMA foreign_keys")) && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
        QVERIFY(query.exec(QStringLiteral("PRAGMA synchronous")) && query.next());
        QCOMPARE(query.value(0).toInt(), 1); // NORMAL
        QVERIFY(query.exec(QStringLiteral("PRAGMA busy_timeout")) && query.next());
        QCOMPARE(query.value(0).toInt(), 5000);
    }

    void open_twoConnectionsSameThread_haveDistinctNames()
    {
        QTemporaryDir tmp;
        Database a;
        Database b;
        QVERIFY(a.open(tmp.path()).ok());
        QVERIFY(b.open(tmp.path()).ok());
        QVERIFY(a.connection().connectionName() != b.connection().connectionName());
    }

    void open_newerSchema_isRefused()
    {
        QTemporaryDir tmp;
        {
            Database db;
            QVERIFY(db.open(tmp.path()).ok());
            QSqlQuery query(db.connection());
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 999")));
        }
        Database db;
        const Status status = db.open(tmp.path());
        QVERIFY(!status.ok());
        QVERIFY(status.error().contains(QLatin1String("newer")));
    }
};

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
