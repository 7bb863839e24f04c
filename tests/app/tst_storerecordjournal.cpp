// SPDX-License-Identifier: MIT
// The proxy's durable path to the store: StoreRecordJournal → the real store thread → SQLite (WAL),
// acknowledged only after the commit; a locked database delays the acknowledgement, never the record.
#include "app/core/storage/Database.h"
#include "app/core/storage/Store.h"
#include "app/core/storage/StoreRecordJournal.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace Core;

namespace {

Proxy::RequestRecord closedRecord(const QString &id)
{
    Proxy::RequestRecord record;
    record.time = QDateTime::currentDateTimeUtc();
    record.requestId = id;
    record.route = QStringLiteral("/v1/responses");
    record.model = QStringLiteral("gpt-5.4");
    record.status = 200;
    record.outcome = QStringLiteral("client_closed");
    record.usage = Proxy::TokenUsage{2048, 0, 2048, 0, 4096};
    record.usageSource = QStringLiteral("estimate");
    return record;
}

qint64 rowsWithSource(const QString &dir, const QString &source)
{
    Database reader;
    if (!reader.open(dir).ok())
        return -1;
    QSqlQuery query(reader.connection());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM request_log WHERE usage_source = ? AND total_tokens = 4096"));
    query.addBindValue(source);
    return query.exec() && query.next() ? query.value(0).toLongLong() : -1;
}

} // namespace

class tst_StoreRecordJournal final : public QObject
{
    Q_OBJECT

private slots:
    void append_acknowledgedOnlyOnceCommitted()
    {
        QTemporaryDir tmp;
        Store store(tmp.path());
        QVERIFY(store.start().ok());
        StoreRecordJournal journal(store.worker());
        std::atomic<int> acked{0};
        std::atomic<bool> early{false};
        const QString dir = tmp.path();
        for (int i = 0; i < 3; ++i)
            journal.append({closedRecord(QStringLiteral("r%1").arg(i))}, [&, dir] {
                // Each acknowledgement comes after the commit that holds its record (and the earlier ones).
                if (rowsWithSource(dir, QStringLiteral("estimate")) < acked.fetch_add(1) + 1)
                    early = true;
            });
        QTRY_COMPARE_WITH_TIMEOUT(acked.load(), 3, 3000);
        QVERIFY(!early.load());
        QVERIFY(store.flushAndStop());
    }

    void append_databaseLocked_acknowledgedAfterTheRetryCommits()
    {
        QTemporaryDir tmp;
        StoreWorker::Options options;
        options.flushIntervalMs = 50;
        Store store(tmp.path(), options);
        QVERIFY(store.start().ok());
        Database blocker;
        QVERIFY(blocker.open(tmp.path()).ok());
        QSqlQuery lock(blocker.connection());
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE"))); // the store's commit waits, then fails
        StoreRecordJournal journal(store.worker());
        std::atomic<bool> acked{false};
        journal.append({closedRecord(QStringLiteral("locked"))}, [&acked] { acked = true; });
        QTest::qWait(1000);
        QVERIFY(!acked.load()); // not durable yet: nothing may claim it is
        QVERIFY(lock.exec(QStringLiteral("COMMIT")));
        QTRY_VERIFY_WITH_TIMEOUT(acked.load(), 15000);
        QCOMPARE(rowsWithSource(tmp.path(), QStringLiteral("estimate")), 1);
        QVERIFY(store.flushAndStop());
    }
};

QTEST_GUILESS_MAIN(tst_StoreRecordJournal)
#include "tst_storerecordjournal.moc"
