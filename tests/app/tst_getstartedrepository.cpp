// SPDX-License-Identifier: MIT
// The facts the Get started checklist starts from: only an active account, an enabled unexpired key
// and an answered request count, and its flags are console state the settings never list.
#include "app/core/storage/Database.h"
#include "app/core/storage/GetStartedRepository.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/SqlUtil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

Status addAccount(Database &db, const QString &name, const QString &state)
{
    const QString now = Sql::toDbTime(QDateTime::currentDateTimeUtc());
    return Sql::exec(
        db.connection(),
        QStringLiteral("INSERT INTO accounts (name, kind, base_url, state, secret_prefix, created_at,"
                       " updated_at) VALUES (?, 'openai', 'https://api.example/v1', ?, ?, ?, ?)"),
        {name, state, QString(QStringLiteral("account/") + name), now, now});
}

Status addKey(Database &db, const QString &name, bool enabled, const QVariant &expiresAt)
{
    return Sql::exec(
        db.connection(),
        QStringLiteral("INSERT INTO keys (name, prefix, last4, key_hash, created_at, expires_at, enabled)"
                       " VALUES (?, 'sk-kg-abcd', 'wxyz', ?, ?, ?, ?)"),
        {name, QString(QStringLiteral("hash-") + name), Sql::toDbTime(QDateTime::currentDateTimeUtc()),
         expiresAt, enabled ? 1 : 0});
}

Status addRequest(Database &db, int status, const QString &outcome)
{
    return Sql::exec(
        db.connection(),
        QStringLiteral("INSERT INTO request_log (time, route, status, outcome) VALUES (?, ?, ?, ?)"),
        {Sql::toDbTime(QDateTime::currentDateTimeUtc()), QStringLiteral("/v1/responses"), status, outcome});
}

} // namespace

class tst_GetStartedRepository final : public QObject
{
    Q_OBJECT

private slots:
    void load_freshDatabase_nothingDone()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(GetStartedRepository(db.connection()).load().value(), GetStartedFacts{});
    }

    void load_pausedAccountDisabledOrExpiredKey_notCounted()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QVERIFY(addAccount(db, QStringLiteral("paused"), QStringLiteral("paused")).ok());
        QVERIFY(addAccount(db, QStringLiteral("stale"), QStringLiteral("needs-reauth")).ok());
        QVERIFY(addKey(db, QStringLiteral("off"), false, QVariant()).ok());
        QVERIFY(addKey(db, QStringLiteral("expired"), true,
                       Sql::toDbTime(QDateTime::currentDateTimeUtc().addSecs(-60)))
                    .ok());
        GetStartedFacts facts = GetStartedRepository(db.connection()).load().value();
        QVERIFY(!facts.accountConnected);
        QVERIFY(!facts.keyCreated);

        QVERIFY(addAccount(db, QStringLiteral("live"), QStringLiteral("active")).ok());
        QVERIFY(addKey(db, QStringLiteral("later"), true,
                       Sql::toDbTime(QDateTime::currentDateTimeUtc().addDays(1)))
                    .ok());
        facts = GetStartedRepository(db.connection()).load().value();
        QVERIFY(facts.accountConnected);
        QVERIFY(facts.keyCreated);
    }

    void load_deniedOrFailedRequests_notAnswered()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QVERIFY(addRequest(db, 401, QStringLiteral("denied")).ok());
        QVERIFY(addRequest(db, 502, QStringLiteral("upstream_error")).ok());
        QVERIFY(!GetStartedRepository(db.connection()).load().value().requestAnswered);
        QVERIFY(addRequest(db, 200, QStringLiteral("ok")).ok());
        const GetStartedFacts facts = GetStartedRepository(db.connection()).load().value();
        QVERIFY(facts.requestAnswered);
        QVERIFY(!facts.clientShown);
        QVERIFY(facts.clientConnected()); // set up from the README, say: the client evidently works
    }

    void flags_stored_loadedAndNotSettings()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        GetStartedRepository repository(db.connection());
        QVERIFY(repository.setClientShown().ok());
        QVERIFY(repository.setDismissed(true).ok());
        GetStartedFacts facts = GetStartedRepository(db.connection()).load().value();
        QVERIFY(facts.clientShown);
        QVERIFY(facts.dismissed);
        QVERIFY(!facts.complete());
        QVERIFY(repository.setDismissed(false).ok());
        QVERIFY(!GetStartedRepository(db.connection()).load().value().dismissed);

        // Console state, not a setting: the settings load past it and do not accept its name.
        QVERIFY(SettingsRepository(db.connection()).load().ok());
        QVERIFY(!SettingsRepository::names().contains(QStringLiteral("console.get-started-dismissed")));
        QVERIFY(!SettingsRepository(db.connection())
                     .set(QStringLiteral("console.get-started-dismissed"), QStringLiteral("true"))
                     .ok());
    }
};

QTEST_GUILESS_MAIN(tst_GetStartedRepository)
#include "tst_getstartedrepository.moc"
