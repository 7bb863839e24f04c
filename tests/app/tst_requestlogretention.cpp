// SPDX-License-Identifier: MIT
// Request-log retention: old rows go in small batches on the store thread, the daily rollup
// (usage_daily) written with the rows keeps every total whole, and every reader — lifetime totals,
// the /v1/usage baseline, `keygate usage`, the console's 30-day views, limit windows — reads the
// same before and after pruning. The setting is validated and applied live.
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/DayTotalsQuery.h"
#include "app/core/storage/GetStartedRepository.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/Migrations.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/RequestLogPruner.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/SqlUtil.h"
#include "app/core/storage/Store.h"
#include "app/core/storage/StoreWorker.h"
#include "app/core/storage/UsageQueries.h"
#include "app/core/storage/UsageRepository.h"

#include "proxy/metrics/ProxyMetrics.h"
#include "proxy/policy/KeyPolicy.h"

#include "tests/app/UsageReaders.h"
#include "tests/support/SyntheticRequests.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

const QString RollupFromRows =
    QStringLiteral("SELECT substr(time, 1, 10), COALESCE(key_id, 0), COUNT(*), COALESCE(SUM(input_tokens), 0),"
                   " COALESCE(SUM(cached_tokens), 0), COALESCE(SUM(output_tokens), 0),"
                   " COALESCE(SUM(reasoning_tokens), 0), COALESCE(SUM(total_tokens), 0),"
                   " COALESCE(SUM(cost_micros), 0), SUM(CASE WHEN status >= 400 OR outcome <> 'ok' THEN 1 ELSE 0 END),"
                   " SUM(CASE WHEN total_tokens > 0 AND cost_micros IS NULL THEN 1 ELSE 0 END) FROM request_log %1 GROUP BY 1, 2 ORDER BY 1, 2");
const QString RollupRows = QStringLiteral(
    "SELECT day, key_id, requests, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens,"
    " cost_micros, errors, unpriced_requests FROM usage_daily %1 ORDER BY 1, 2");

QStringList rows(const QSqlDatabase &db, const QString &sql, const QVariantList &bindings = {})
{
    QSqlQuery query(db);
    query.prepare(sql);
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    if (!query.exec())
        return {QStringLiteral("error: ") + query.lastError().text()};
    QStringList out;
    while (query.next()) {
        QStringList fields;
        for (int i = 0; i < query.record().count(); ++i)
            fields.append(query.value(i).toString());
        out.append(fields.join(u'|'));
    }
    return out;
}

qint64 count(const QSqlDatabase &db, const QString &sql)
{
    const QStringList result = rows(db, sql);
    return result.size() == 1 ? result.first().toLongLong() : -1;
}

QList<qint64> addKeys(const QSqlDatabase &db, int n)
{
    QList<qint64> ids;
    for (int i = 1; i <= n; ++i) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO keys (name, prefix, last4, key_hash, created_at)"
                                     " VALUES (?, 'kg-', 'abcd', ?, '2026-01-01T00:00:00.000Z')"));
        query.addBindValue(QStringLiteral("key%1").arg(i));
        query.addBindValue(QStringLiteral("hash%1").arg(i));
        if (!query.exec())
            return {};
        ids.append(query.lastInsertId().toLongLong());
    }
    return ids;
}

StoreWorker::Options smallBatches(int rows)
{
    StoreWorker::Options options;
    options.pruneBatchRows = rows;
    options.pruneIntervalMs = 3'600'000; // passes run only when the test starts them
    options.reclaimPagesPerStep = 32;
    return options;
}

} // namespace

class tst_RequestLogRetention final : public QObject
{
    Q_OBJECT

private slots:
    void write_requests_rollupEqualsSumsOfRows()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const QList<qint64> keys = addKeys(db.connection(), 2) + QList<qint64>{0};
        const auto records = TestSupport::syntheticRequests(3000, 200, keys, QDateTime::currentDateTimeUtc());
        RecordWriter writer(db.connection());
        for (qsizetype i = 0; i < records.size(); i += 250) // batches straddle days, as flushes do
            QVERIFY(writer.write(records.mid(i, 250), {}).ok());
        QCOMPARE(rows(db.connection(), RollupRows.arg(QString())), rows(db.connection(), RollupFromRows.arg(QString())));
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT SUM(requests) FROM usage_daily")), 3000);
    }

    void pruneRequestLog_oldRows_goInBatchesWithWritesBetween()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(100));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<Proxy::RequestRecord> old = TestSupport::syntheticRequests(350, 10, {0}, now.addDays(-100));
        worker.appendRequests(old + TestSupport::syntheticRequests(20, 10, {0}, now));
        QVERIFY(worker.flush());
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 370);

        QStringList order;
        connect(&worker, &StoreWorker::requestLogPruned, this, [&order](int removed) {
            order.append(QStringLiteral("pruned %1").arg(removed));
        });
        worker.pruneRequestLog(); // the first batch runs now, the rest from the event loop
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 270);
        worker.appendDurably(TestSupport::syntheticRequests(1, 1, {0}, now),
                             [&order] { order.append(QStringLiteral("written")); });
        QTRY_COMPARE(order.size(), 2);
        // The write waited for one batch, not for the whole pass.
        QCOMPARE(order, (QStringList{QStringLiteral("written"), QStringLiteral("pruned 350")}));
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 21);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT SUM(requests) FROM usage_daily")), 371);
    }

    void pruneRequestLog_rollupsKeepSumsOfPrunedRows()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(500));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const QList<qint64> keys = addKeys(db.connection(), 3) + QList<qint64>{0};
        worker.appendRequests(TestSupport::syntheticRequests(4000, 180, keys, QDateTime::currentDateTimeUtc()));
        QVERIFY(worker.flush());
        const QString cutoff = RequestLogPruner::cutoff(31, QDateTime::currentDateTimeUtc())
                                   .toString(Qt::ISODate).left(10);
        const QStringList prunedDays =
            rows(db.connection(), RollupFromRows.arg(QStringLiteral("WHERE time < ?")), {cutoff});
        QVERIFY(prunedDays.size() > 100);
        const QStringList before = rows(db.connection(), RollupRows.arg(QString()));

        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.setRequestLogRetentionDays(31);
        QVERIFY(pruned.wait());
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log WHERE time < '") + cutoff +
                                            u'\''),
                 0);
        QVERIFY(pruned.first().first().toInt() > 3000);
        QCOMPARE(rows(db.connection(), RollupRows.arg(QString())), before);
        QCOMPARE(rows(db.connection(), RollupRows.arg(QStringLiteral("WHERE day < ?")), {cutoff}), prunedDays);
    }

    void pruneRequestLog_everyReader_equalBeforeAndAfter()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(700));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const QList<qint64> keys = addKeys(db.connection(), 2);
        worker.appendRequests(
            TestSupport::syntheticRequests(6000, 180, keys + QList<qint64>{0}, QDateTime::currentDateTimeUtc()));
        QVERIFY(worker.flush());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QStringList before = TestSupport::readers(db.connection(), keys, now);
        QVERIFY(before.size() > 100);

        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.setRequestLogRetentionDays(31);
        QVERIFY(pruned.wait());
        QVERIFY(pruned.first().first().toInt() > 4500);
        QCOMPARE(TestSupport::readers(db.connection(), keys, now), before);
    }

    void pruneRequestLog_madeUpPaths_keptAsOneOtherRoute()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(50));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QList<Proxy::RequestRecord> records =
            TestSupport::syntheticRequests(400, 180, {0}, QDateTime::currentDateTimeUtc().addDays(-40));
        for (int i = 0; i < records.size(); ++i)
            records[i].route = QStringLiteral("/probe/%1").arg(i); // a client's made-up paths
        worker.appendRequests(records);
        QVERIFY(worker.flush());
        const QStringList before = TestSupport::requestCounts(db.connection());
        QVERIFY(before.join(u'\n').contains(QLatin1String("requests other 200 ok")));

        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.setRequestLogRetentionDays(31);
        QVERIFY(pruned.wait());
        QCOMPARE(pruned.first().first().toInt(), 400);
        QCOMPARE(TestSupport::requestCounts(db.connection()), before);
        // Kept for good, but bounded: the made-up paths are one "other" route, not 400 rows.
        QCOMPARE(rows(db.connection(), QStringLiteral("SELECT DISTINCT route FROM request_counts_pruned")),
                 QStringList{QStringLiteral("other")});
    }

    void write_failedCommitRetried_countsOnce()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(100));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        // The rollup fails after the rows went in: the transaction must take both back, so the
        // retry (the worker keeps the records) counts each request once.
        QVERIFY(Sql::exec(db.connection(), QStringLiteral("CREATE TABLE fail (on_rollup INTEGER)")).ok());
        QVERIFY(Sql::exec(db.connection(), QStringLiteral("INSERT INTO fail VALUES (1)")).ok());
        QVERIFY(Sql::exec(db.connection(),
                          QStringLiteral("CREATE TRIGGER fail_rollup BEFORE INSERT ON usage_daily"
                                         " WHEN (SELECT on_rollup FROM fail) = 1 BEGIN SELECT RAISE(ABORT, 'injected'); END"))
                    .ok());
        QSignalSpy failed(&worker, &StoreWorker::writeFailed);
        worker.appendRequests(TestSupport::syntheticRequests(40, 3, {0}, QDateTime::currentDateTimeUtc()));
        QVERIFY(!worker.flush());
        QCOMPARE(failed.size(), 1);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 0);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM usage_daily")), 0);
        QVERIFY(Sql::exec(db.connection(), QStringLiteral("UPDATE fail SET on_rollup = 0")).ok());
        QTRY_COMPARE(worker.pendingCount(), 0); // the backoff retry
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 40);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT SUM(requests) FROM usage_daily")), 40);
        QCOMPARE(rows(db.connection(), RollupRows.arg(QString())), rows(db.connection(), RollupFromRows.arg(QString())));
    }

    void migrate_existingRequestLog_backfillsRollups()
    {
        // Find the step that creates usage_daily without assuming its number.
        QTemporaryDir probeDir;
        int rollupVersion = 0;
        {
            QSqlDatabase probe = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
            probe.setDatabaseName(probeDir.filePath(QStringLiteral("p.db")));
            QVERIFY(probe.open());
            for (int v = 1; v <= Migrations::latestVersion() && rollupVersion == 0; ++v) {
                QVERIFY(Migrations::run(probe, v).ok());
                if (count(probe, QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'usage_daily'")) == 1)
                    rollupVersion = v;
            }
            probe.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("probe"));
        QVERIFY(rollupVersion > 1);

        QTemporaryDir tmp;
        {
            QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
            old.setDatabaseName(Database::fileName(tmp.path()));
            QVERIFY(old.open());
            QVERIFY(Migrations::run(old, rollupVersion - 1).ok());
            const QList<qint64> keys = addKeys(old, 2) + QList<qint64>{0};
            QVERIFY(old.transaction());
            for (const Proxy::RequestRecord &r :
                 TestSupport::syntheticRequests(500, 60, keys, QDateTime::currentDateTimeUtc())) {
                QSqlQuery insert(old);
                insert.prepare(QStringLiteral("INSERT INTO request_log (time, key_id, status, outcome, input_tokens,"
                                              " cached_tokens, output_tokens, reasoning_tokens, total_tokens, cost_micros)"
                                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
                const auto usage = [&r](qint64 Proxy::TokenUsage::*field) {
                    return r.usage ? QVariant(r.usage.value().*field) : QVariant(QMetaType::fromType<qint64>());
                };
                for (const QVariant &v : QVariantList{Sql::toDbTime(r.time),
                                                      r.keyId ? QVariant(r.keyId) : QVariant(QMetaType::fromType<qint64>()),
                                                      r.status, r.outcome, usage(&Proxy::TokenUsage::input),
                                                      usage(&Proxy::TokenUsage::cached), usage(&Proxy::TokenUsage::output),
                                                      usage(&Proxy::TokenUsage::reasoning), usage(&Proxy::TokenUsage::total),
                                                      r.costMicros ? QVariant(*r.costMicros) : QVariant(QMetaType::fromType<qint64>())})
                    insert.addBindValue(v);
                QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
            }
            QVERIFY(old.commit());
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));

        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT SUM(requests) FROM usage_daily")), 500);
        QCOMPARE(rows(db.connection(), RollupRows.arg(QString())), rows(db.connection(), RollupFromRows.arg(QString())));
    }

    void setRequestLogRetentionDays_belowMinimum_keepsThirtyOneDays()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(1000));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        worker.appendRequests(TestSupport::syntheticRequests(10, 1, {0}, now.addDays(-30)) +
                              TestSupport::syntheticRequests(10, 1, {0}, now.addDays(-40)));
        QVERIFY(worker.flush());
        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.setRequestLogRetentionDays(1); // a hostile or stale value: limit windows still need 30 days
        QTRY_COMPARE(pruned.size(), 1);
        QCOMPARE(pruned.first().first().toInt(), 10);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 10);
    }

    void setRequestLogRetentionDays_zero_keepsEveryRow()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(1000));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        worker.appendRequests(TestSupport::syntheticRequests(30, 1, {0}, QDateTime::currentDateTimeUtc().addDays(-400)));
        QVERIFY(worker.flush());
        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.setRequestLogRetentionDays(0);
        worker.pruneRequestLog();
        QVERIFY(!pruned.wait(300));
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 30);
    }

    void setRequestLogRetentionDays_zeroDuringAPass_stopsItAfterTheRunningBatch()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(100));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        worker.appendRequests(TestSupport::syntheticRequests(350, 10, {0}, QDateTime::currentDateTimeUtc().addDays(-100)));
        QVERIFY(worker.flush());
        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.pruneRequestLog(); // the first batch runs now
        worker.setRequestLogRetentionDays(0);
        QTRY_COMPARE(pruned.size(), 1);
        QCOMPARE(pruned.first().first().toInt(), 100);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 250);
    }

    void pruneRequestLog_everyRowOld_checklistStillSeesAnAnsweredRequest()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(1000));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        worker.appendRequests(TestSupport::syntheticRequests(3, 1, {0}, QDateTime::currentDateTimeUtc().addDays(-100)));
        QVERIFY(worker.flush());
        QVERIFY(GetStartedRepository(db.connection()).load().value().requestAnswered);
        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.pruneRequestLog();
        QTRY_COMPARE(pruned.size(), 1);
        QCOMPARE(count(db.connection(), QStringLiteral("SELECT COUNT(*) FROM request_log")), 0);
        QVERIFY(GetStartedRepository(db.connection()).load().value().requestAnswered);
    }

    void pruneRequestLog_incrementalVacuum_shrinksTheFile()
    {
        QTemporaryDir tmp;
        StoreWorker worker(tmp.path(), smallBatches(2000));
        QVERIFY(worker.open().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(count(db.connection(), QStringLiteral("PRAGMA auto_vacuum")), 2); // a new file is incremental
        worker.appendRequests(TestSupport::syntheticRequests(8000, 120, {0}, QDateTime::currentDateTimeUtc()));
        QVERIFY(worker.flush());
        const qint64 pagesBefore = count(db.connection(), QStringLiteral("PRAGMA page_count"));
        QSignalSpy pruned(&worker, &StoreWorker::requestLogPruned);
        worker.setRequestLogRetentionDays(31);
        QVERIFY(pruned.wait());
        const qint64 pagesAfter = count(db.connection(), QStringLiteral("PRAGMA page_count"));
        QVERIFY2(pagesAfter < pagesBefore / 2, qPrintable(QStringLiteral("%1 → %2").arg(pagesBefore).arg(pagesAfter)));
        QVERIFY(count(db.connection(), QStringLiteral("PRAGMA freelist_count")) <= 32);
    }

    void open_databaseWithoutAutoVacuum_isSwitchedToIncremental()
    {
        QTemporaryDir tmp;
        {
            QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("none"));
            old.setDatabaseName(Database::fileName(tmp.path()));
            QVERIFY(old.open());
            QVERIFY(Migrations::run(old).ok()); // auto_vacuum stays NONE: tables exist before any pragma
            QCOMPARE(count(old, QStringLiteral("PRAGMA auto_vacuum")), 0);
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("none"));
        Store store(tmp.path());
        QVERIFY(store.start().ok());
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(count(db.connection(), QStringLiteral("PRAGMA auto_vacuum")), 2);
    }

    void otherProcessChangesRequestLogRetention_isApplied()
    {
        QTemporaryDir tmp;
        ProxyRuntime runtime(tmp.path(), QStringLiteral("file"));
        QVERIFY(runtime.open().ok());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        runtime.store().appendRequests(TestSupport::syntheticRequests(5, 1, {0}, now.addDays(-60)) +
                                       TestSupport::syntheticRequests(5, 1, {0}, now.addDays(-100)));
        runtime.store().flush();
        const QString sql = QStringLiteral("SELECT COUNT(*) FROM request_log");
        QTRY_COMPARE(count(runtime.database().connection(), sql), 10);
        Database cli; // another connection, as `keygate settings set` in another process
        QVERIFY(cli.open(tmp.path()).ok());
        QVERIFY(SettingsRepository(cli.connection())
                    .set(QStringLiteral("request-log-retention-days"), QStringLiteral("45"))
                    .ok());
        QTRY_COMPARE(count(runtime.database().connection(), sql), 0);
        QCOMPARE(UsageRepository(runtime.database().connection()).overall().value().requestCount, 10);
    }
};

QTEST_GUILESS_MAIN(tst_RequestLogRetention)
#include "tst_requestlogretention.moc"
