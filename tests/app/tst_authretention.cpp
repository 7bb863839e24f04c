// SPDX-License-Identifier: MIT
// The auth-retention-days setting reaches the store thread: Store::setAuthRetentionDays prunes
// at once, ProxyRuntime applies the stored value at open and whenever the settings change.
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/Store.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

Proxy::AuthTrace trace(const QDateTime &time)
{
    Proxy::AuthTrace t;
    t.time = time;
    t.requestId = QStringLiteral("r");
    t.verdict = Proxy::AuthVerdict::Denied;
    t.status = 401;
    return t;
}

/// Auth events 10 days and 2 days old.
QList<Proxy::AuthTrace> tenAndTwoDaysOld()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return {trace(now.addDays(-10)), trace(now.addDays(-2))};
}

qint64 authEvents(Database &db)
{
    QSqlQuery query(db.connection());
    return query.exec(QStringLiteral("SELECT COUNT(*) FROM auth_events")) && query.next()
               ? query.value(0).toLongLong()
               : -1;
}

} // namespace

class tst_AuthRetention final : public QObject
{
    Q_OBJECT

private slots:
    void setAuthRetentionDays_shorter_prunesAtOnce()
    {
        QTemporaryDir tmp;
        Store store(tmp.path());
        QVERIFY(store.start().ok());
        store.appendAuthEvents(tenAndTwoDaysOld());
        store.flush();
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QTRY_COMPARE(authEvents(db), 2); // 30 days (default) keeps both
        store.setAuthRetentionDays(5);
        QTRY_COMPARE(authEvents(db), 1);
        store.setAuthRetentionDays(1);
        QTRY_COMPARE(authEvents(db), 0);
    }

    void open_storedRetention_isApplied()
    {
        QTemporaryDir tmp;
        {
            Database db;
            QVERIFY(db.open(tmp.path()).ok());
            QVERIFY(RecordWriter(db.connection()).write({}, tenAndTwoDaysOld()).ok());
            QVERIFY(SettingsRepository(db.connection())
                        .set(QStringLiteral("auth-retention-days"), QStringLiteral("5"))
                        .ok());
        }
        ProxyRuntime runtime(tmp.path(), QStringLiteral("file"));
        QVERIFY(runtime.open().ok());
        QTRY_COMPARE(authEvents(runtime.database()), 1);
    }

    void publishConfig_changedRetention_isApplied()
    {
        QTemporaryDir tmp;
        ProxyRuntime runtime(tmp.path(), QStringLiteral("file"));
        QVERIFY(runtime.open().ok());
        runtime.store().appendAuthEvents(tenAndTwoDaysOld());
        runtime.store().flush();
        QTRY_COMPARE(authEvents(runtime.database()), 2);
        QVERIFY(SettingsRepository(runtime.database().connection())
                    .set(QStringLiteral("auth-retention-days"), QStringLiteral("5"))
                    .ok());
        runtime.publishConfig();
        QTRY_COMPARE(authEvents(runtime.database()), 1);
    }

    void otherProcessChangesRetention_isApplied()
    {
        QTemporaryDir tmp;
        ProxyRuntime runtime(tmp.path(), QStringLiteral("file"));
        QVERIFY(runtime.open().ok());
        runtime.store().appendAuthEvents(tenAndTwoDaysOld());
        runtime.store().flush();
        QTRY_COMPARE(authEvents(runtime.database()), 2);
        Database cli; // another connection, as `keygate settings set` in another process
        QVERIFY(cli.open(tmp.path()).ok());
        QVERIFY(SettingsRepository(cli.connection())
                    .set(QStringLiteral("auth-retention-days"), QStringLiteral("1"))
                    .ok());
        QTRY_COMPARE(authEvents(runtime.database()), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AuthRetention)
#include "tst_authretention.moc"
