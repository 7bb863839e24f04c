// SPDX-License-Identifier: MIT
// Benchmark: database size per proxied request, and what request-log retention does to it. Writes
// 1 M synthetic requests (with one auth-trace event each, as the proxy writes them) spread over 180
// days through the real write path (RecordWriter: request_log, its daily rollup, auth_events, in
// 1,000-row transactions), then applies the default retention as the store thread does — the auth
// trace's 30 days / 100,000 rows, and request-log pruning in 5,000-row transactions, each followed by
// an incremental vacuum — and reports the file size and bytes per request before and after, the
// longest batch (the longest a write waits behind pruning) and how long the usage reports take.
// Usage: bench_retention [REQUESTS]   (default 1000000)
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/RequestLogPruner.h"
#include "app/core/storage/StoreWorker.h"
#include "app/core/storage/UsageQueries.h"
#include "app/core/storage/UsageRepository.h"

#include "tests/support/SyntheticRequests.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdio>

namespace {

constexpr int Days = 180;
constexpr int BatchRecords = 1'000;

qint64 fileBytes(const QString &dataDir)
{
    const QString db = Core::Database::fileName(dataDir);
    return QFileInfo(db).size() + QFileInfo(db + QStringLiteral("-wal")).size();
}

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

void checkpoint(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
}

Proxy::AuthTrace traceFor(const Proxy::RequestRecord &record)
{
    Proxy::AuthTrace trace;
    trace.time = record.time;
    trace.requestId = record.requestId;
    trace.peer = record.peer;
    trace.method = QStringLiteral("POST");
    trace.path = record.route;
    trace.verdict = Proxy::AuthVerdict::Accepted;
    trace.keyId = record.keyId;
    trace.keyName = QStringLiteral("bench-%1").arg(record.keyId);
    trace.source = QStringLiteral("authorization");
    trace.status = record.status;
    trace.steps = {{QStringLiteral("authorization"), QStringLiteral("Bearer kg-…a1b2"), Proxy::HeaderOutcome::Accepted,
                    trace.keyName, QString()}};
    trace.durationNs = 4'000;
    return trace;
}

/// Milliseconds `keygate usage` (lifetime, per key) and the console's 30-day per-key view take.
QString reportTimes(const QSqlDatabase &db)
{
    QElapsedTimer timer;
    timer.start();
    const Core::UsageRepository usage(db);
    const qint64 requests = usage.overall().value().requestCount + usage.perKey().value().size();
    const qint64 lifetimeMs = timer.restart();
    const qint64 rows = Core::UsageQueries(db).perKeySince(QDateTime::currentDateTimeUtc().addDays(-30)).value().size();
    return QStringLiteral("keygate usage %1 ms, 30-day per-key view %2 ms (%3 requests, %4 rows)")
        .arg(lifetimeMs)
        .arg(timer.elapsed())
        .arg(requests)
        .arg(rows);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 total = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir dir;
    Core::Database database;
    if (total <= 0 || !database.open(dir.path())) {
        std::fprintf(stderr, "bench_retention: cannot open a database in %s\n", qPrintable(dir.path()));
        return 1;
    }
    const QSqlDatabase db = database.connection();
    QList<qint64> keys{0};
    for (int i = 1; i <= 5; ++i) {
        QSqlQuery insert(db);
        insert.exec(QStringLiteral("INSERT INTO keys (name, prefix, last4, key_hash, created_at) VALUES"
                                   " ('bench-%1', 'kg-', 'a1b2', 'hash-%1', '2026-01-01T00:00:00.000Z')")
                        .arg(i));
        keys.append(insert.lastInsertId().toLongLong());
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    Core::RecordWriter writer(db);
    QElapsedTimer timer;
    timer.start();
    for (qint64 first = 0; first < total; first += BatchRecords) {
        const int count = int(qMin<qint64>(BatchRecords, total - first));
        const QList<Proxy::RequestRecord> records =
            TestSupport::syntheticRequests(first, count, total, now.addDays(-Days), now, keys);
        QList<Proxy::AuthTrace> traces;
        traces.reserve(count);
        for (const Proxy::RequestRecord &record : records)
            traces.append(traceFor(record));
        if (const Core::Status written = writer.write(records, traces); !written) {
            std::fprintf(stderr, "bench_retention: %s\n", qPrintable(written.error()));
            return 1;
        }
    }
    const qint64 writeMs = timer.elapsed();
    checkpoint(db);
    const qint64 before = fileBytes(dir.path());
    std::printf("retention: %lld synthetic requests over %d days (+1 auth event each) written in %.1f s "
                "(%.0f requests/s, %d per transaction)\n",
                total, Days, double(writeMs) / 1000.0, double(total) * 1000.0 / double(qMax<qint64>(1, writeMs)),
                BatchRecords);
    std::printf("retention: before: %.1f MB, %.0f bytes/request (request log, auth trace, indexes, %lld rollup rows)\n",
                double(before) / 1e6, double(before) / double(total),
                scalar(db, QStringLiteral("SELECT COUNT(*) FROM usage_daily")));
    std::printf("retention: before: %s\n", qPrintable(reportTimes(db)));

    // What the store thread does with the defaults (StoreWorker::Options): the auth trace first, which
    // is all an earlier Keygate did; pages in use then are what the request log alone grows to.
    const Core::StoreWorker::Options defaults;
    const Core::Result<int> authPruned = writer.pruneAuthEvents(now.addDays(-defaults.authRetentionDays), defaults.authMaxRows);
    const qint64 inUse = (scalar(db, QStringLiteral("PRAGMA page_count")) - scalar(db, QStringLiteral("PRAGMA freelist_count"))) *
                         scalar(db, QStringLiteral("PRAGMA page_size"));
    std::printf("retention: auth trace %d days / %d rows: %d events pruned; the request log alone (no retention): "
                "%.1f MB in use, %.0f bytes/request\n",
                defaults.authRetentionDays, defaults.authMaxRows, authPruned ? authPruned.value() : -1,
                double(inUse) / 1e6, double(inUse) / double(total));
    timer.restart();
    Core::RequestLogPruner pruner(db);
    const QDateTime cutoff = Core::RequestLogPruner::cutoff(defaults.requestLogRetentionDays, now);
    const qint64 lastId = pruner.lastPrunableId(cutoff).value();
    qint64 pruned = 0;
    qint64 longestDeleteMs = 0;
    qint64 longestReclaimMs = 0;
    int batches = 0;
    int steps = 0;
    QElapsedTimer stepTimer;
    for (;;) { // StoreWorker::pruneRequestLogBatch, minus the queued call between batches
        stepTimer.start();
        const Core::Result<int> removed = pruner.pruneBatch(cutoff, lastId, defaults.pruneBatchRows);
        if (!removed) {
            std::fprintf(stderr, "bench_retention: %s\n", qPrintable(removed.error()));
            return 1;
        }
        longestDeleteMs = qMax(longestDeleteMs, stepTimer.elapsed());
        pruned += removed.value();
        ++batches;
        if (removed.value() < defaults.pruneBatchRows)
            break;
    }
    const qint64 deleteMs = timer.restart();
    while (pruner.freePages().value() > defaults.reclaimPagesPerStep) { // StoreWorker::reclaimFreePages
        stepTimer.start();
        pruner.reclaim(defaults.reclaimPagesPerStep);
        longestReclaimMs = qMax(longestReclaimMs, stepTimer.elapsed());
        ++steps;
    }
    const qint64 reclaimMs = timer.elapsed();
    checkpoint(db);
    const qint64 after = fileBytes(dir.path());
    const qint64 kept = scalar(db, QStringLiteral("SELECT COUNT(*) FROM request_log"));
    std::printf("retention: request log %d days: %lld rows pruned in %d transactions of up to %d rows, %.1f s, "
                "longest %lld ms; then %d incremental-vacuum steps of %d pages, %.1f s, longest %lld ms\n",
                defaults.requestLogRetentionDays, pruned, batches, defaults.pruneBatchRows, double(deleteMs) / 1000.0,
                longestDeleteMs, steps, defaults.reclaimPagesPerStep, double(reclaimMs) / 1000.0, longestReclaimMs);
    std::printf("retention: after: %.1f MB (%.0f%% of before), %.0f bytes per kept request, %.0f bytes per "
                "request ever made; %lld free pages\n",
                double(after) / 1e6, 100.0 * double(after) / double(before), double(after) / double(qMax<qint64>(1, kept)),
                double(after) / double(total), scalar(db, QStringLiteral("PRAGMA freelist_count")));
    std::printf("retention: after: %s\n", qPrintable(reportTimes(db)));
    return 0;
}
