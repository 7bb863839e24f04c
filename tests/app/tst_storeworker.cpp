// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/SqlUtil.h"
#include "app/core/storage/Store.h"
#include "app/core/storage/StoreWorker.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

Proxy::RequestRecord request(qint64 keyId, std::optional<Proxy::TokenUsage> usage, const QDateTime &time = {})
{
    Proxy::RequestRecord record;
    record.time = time.isValid() ? time : QDateTime::currentDateTimeUtc();
    record.requestId = QStringLiteral("req-%1").arg(QRandomGenerator::global()->generate());
    record.keyId = keyId;
    record.authSource = QStringLiteral("authorization");
    record.route = QStringLiteral("/v1/responses");
    record.model = QStringLiteral("gpt-5");
    record.status = 200;
    record.outcome = QStringLiteral("ok");
    record.usage = usage;
    record.latencyMs = 12;
    return record;
}

Proxy::AuthTrace trace(const QDateTime &time)
{
    Proxy::AuthTrace t;
    t.time = time;
    t.requestId = QStringLiteral("r");
    t.verdict = Proxy::AuthVerdict::Denied;
    t.status = 401;
    t.steps.append({QStringLiteral("Authorization"), QStringLiteral("sk-kg-…abcd"), Proxy::HeaderOutcome::Unknown, {}});
    return t;
}

qint64 scalar(Database &db, const QString &sql)
{
    QSqlQuery query(db.connection());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

} // namespace

class tst_StoreWorker final : public QObject
{
    Q_OBJECT

private slots:
    void flush_batch_persistsAndKeepsUnknownUsageNull()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        KeyService keys(db, secrets);
        const qint64 keyId = keys.create(QStringLiteral("k")).value().record.id;

        StoreWorker worker(tmp.path());
        QVERIFY(worker.open().ok());
        QSignalSpy flushed(&worker, &StoreWorker::flushed);
        const QDateTime used = QDateTime::currentDateTimeUtc().addSecs(-5);
        worker.appendRequests({request(keyId, Proxy::TokenUsage{10, 2, 5, 1, 15}, used), request(keyId, std::nullopt, used.addSecs(-10))});
        worker.appendRequests({request(0, std::nullopt)});
        worker.appendAuthEvents({trace(QDateTime::currentDateTimeUtc())});
        QCOMPARE(worker.pendingCount(), 4);
        QVERIFY(flushed.wait(2000)); // the timer flushes without being asked
        QCOMPARE(flushed.count(), 1); // one batch
        QCOMPARE(flushed.at(0).at(0).toInt(), 3);
        QCOMPARE(worker.pendingCount(), 0);

        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM request_log")), 3);
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM request_log WHERE input_tokens IS NULL")), 2);
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM request_log WHERE total_tokens IS NULL")), 2);
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM request_log WHERE key_id IS NULL")), 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM auth_events WHERE verdict = 'denied'")), 1);
        QCOMPARE(keys.findById(keyId).value().lastUsedAt.toMSecsSinceEpoch(), used.toMSecsSinceEpoch());

        const auto baseline = worker.loadUsageBaseline();
        QVERIFY(baseline.ok());
        QCOMPARE(baseline.value().value(keyId).requestCount, 2);
        QCOMPARE(baseline.value().value(keyId).total, 15);
    }

    void flushAndStop_thenReopen_recordsSurvive()
    {
        QTemporaryDir tmp;
        {
            Store store(tmp.path());
            QVERIFY(store.start().ok());
            store.appendRequests({request(0, Proxy::TokenUsage{1, 0, 1, 0, 2})});
            store.appendRequests({request(0, std::nullopt)});
            QVERIFY(store.flushAndStop());
        }
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM request_log")), 2);
        QCOMPARE(scalar(db, QStringLiteral("SELECT SUM(total_tokens) FROM request_log")), 2);
    }

    void request_deletedKey_storesNullKeyInsteadOfFailing()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path());
        QVERIFY(worker.open().ok());
        QSignalSpy failed(&worker, &StoreWorker::writeFailed);
        worker.appendRequests({request(777, std::nullopt)});
        QVERIFY(worker.flush());
        QCOMPARE(failed.count(), 0);
    }

    void dataVersion_otherConnectionInsertsKey_emitsKeysChanged()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path());
        QVERIFY(worker.open().ok());
        QSignalSpy keysChanged(&worker, &StoreWorker::keysChanged);
        QSignalSpy settingsChanged(&worker, &StoreWorker::settingsChanged);

        Database other; // another connection, as a CLI process would have
        QVERIFY(other.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        KeyService keys(other, secrets);
        const CreatedKey created = keys.create(QStringLiteral("from-cli")).value();

        QVERIFY(keysChanged.wait(3000));
        const auto snapshot = keysChanged.at(0).at(0).value<Proxy::KeySnapshotPtr>();
        QVERIFY(snapshot);
        QCOMPARE(snapshot->size(), 1);
        QCOMPARE(snapshot->findById(created.record.id)->name, QStringLiteral("from-cli"));
        QCOMPARE(settingsChanged.count(), 0);

        QVERIFY(SettingsRepository(other.connection()).setRequireKey(false).ok());
        QVERIFY(settingsChanged.wait(3000));
        QCOMPARE(keysChanged.count(), 1);
    }

    void ownWrites_doNotEmitChanges()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path());
        QVERIFY(worker.open().ok());
        QSignalSpy keysChanged(&worker, &StoreWorker::keysChanged);
        worker.appendRequests({request(0, std::nullopt)});
        QVERIFY(worker.flush());
        worker.checkForChanges();
        QTest::qWait(400);
        QCOMPARE(keysChanged.count(), 0);
    }

    void pruneAuthEvents_ageAndRowCap_removesOldest()
    {
        QTemporaryDir tmp;
        StoreWorker::Options options;
        options.authMaxRows = 5;
        StoreWorker worker(tmp.path(), options);
        QVERIFY(worker.open().ok());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<Proxy::AuthTrace> traces;
        for (int i = 0; i < 3; ++i)
            traces.append(trace(now.addDays(-31 - i))); // past retention
        for (int i = 0; i < 8; ++i)
            traces.append(trace(now.addSecs(-100 + i)));
        worker.appendAuthEvents(traces);
        QVERIFY(worker.flush());
        QCOMPARE(worker.pruneAuthEvents(), 6);

        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM auth_events")), 5);
        QSqlQuery query(db.connection());
        QVERIFY(query.exec(QStringLiteral("SELECT MIN(time) FROM auth_events")) && query.next());
        QCOMPARE(Sql::fromDbTime(query.value(0)).toMSecsSinceEpoch(), now.addSecs(-97).toMSecsSinceEpoch());
    }

    void flush_databaseLocked_retriesAndReportsWithoutDropping()
    {
        QTemporaryDir tmp;
        StoreWorker::Options options;
        options.flushIntervalMs = 50;
        StoreWorker worker(tmp.path(), options);
        QVERIFY(worker.open().ok());
        Database blocker;
        QVERIFY(blocker.open(tmp.path()).ok());
        QSqlQuery query(blocker.connection());
        QVERIFY(query.exec(QStringLiteral("PRAGMA busy_timeout = 0")));
        QVERIFY(query.exec(QStringLiteral("BEGIN IMMEDIATE"))); // holds the write lock
        // The worker's own busy timeout is 5 s; flush() blocks that long, then fails.
        QSignalSpy failed(&worker, &StoreWorker::writeFailed);
        worker.appendRequests({request(0, std::nullopt)});
        QVERIFY(!worker.flush());
        QCOMPARE(failed.count(), 1);
        QCOMPARE(worker.pendingCount(), 1);
        QVERIFY(query.exec(QStringLiteral("COMMIT")));
        QSignalSpy flushed(&worker, &StoreWorker::flushed);
        QVERIFY(flushed.wait(3000)); // retried by the timer after the backoff
        QCOMPARE(worker.pendingCount(), 0);
    }

    void health_appendFailFlush_queueDepthAndFailedWritesFollow()
    {
        QTemporaryDir tmp;
        StoreWorker closed(tmp.path());
        const Proxy::StoreHealthPtr refused = closed.health();
        closed.appendRequests({request(0, std::nullopt)});
        QCOMPARE(refused->queueDepth.load(), 1);
        QVERIFY(!closed.flush()); // not open: nothing can be written
        QVERIFY(!closed.flush());
        QCOMPARE(refused->failedWrites.load(), 2);
        QCOMPARE(refused->queueDepth.load(), 1);

        StoreWorker worker(tmp.path());
        QVERIFY(worker.open().ok());
        const Proxy::StoreHealthPtr health = worker.health();
        worker.appendRequests({request(0, std::nullopt), request(0, std::nullopt)});
        worker.appendAuthEvents({trace(QDateTime::currentDateTimeUtc())});
        QCOMPARE(health->queueDepth.load(), 3);
        QVERIFY(worker.flush());
        QCOMPARE(health->queueDepth.load(), 0);
        QCOMPARE(health->failedWrites.load(), 0);
    }

    void store_facade_loadsBaselineAndKeysAcrossThreads()
    {
        QTemporaryDir tmp;
        Store store(tmp.path());
        QVERIFY(store.start().ok());
        QVERIFY(store.loadKeys().ok());
        QCOMPARE(store.loadKeys().value()->size(), 0);
        store.appendRequests({request(0, std::nullopt)});
        store.flush();
        QVERIFY(store.loadUsageBaseline().ok());
        const auto counts = store.loadRequestCounts();
        QVERIFY(counts.ok());
        QCOMPARE(counts.value().size(), 1);
        QCOMPARE(counts.value().constFirst().route, QStringLiteral("/v1/responses"));
        QCOMPARE(counts.value().constFirst().status, 200);
        QCOMPARE(counts.value().constFirst().outcome, QStringLiteral("ok"));
        QCOMPARE(counts.value().constFirst().count, 1);
        QVERIFY(store.flushAndStop());
        QVERIFY(!store.loadKeys().ok());
    }
};

QTEST_GUILESS_MAIN(tst_StoreWorker)
#include "tst_storeworker.moc"
