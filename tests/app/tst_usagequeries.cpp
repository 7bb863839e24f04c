// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/UsageQueries.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

const QDateTime Base(QDate(2025, 3, 10), QTime(12, 0), Qt::UTC);

Proxy::RequestRecord record(qint64 keyId, const QDateTime &time, std::optional<Proxy::TokenUsage> usage,
                            int status = 200, const QString &outcome = QStringLiteral("ok"))
{
    Proxy::RequestRecord r;
    r.keyId = keyId;
    r.time = time;
    r.usage = usage;
    r.status = status;
    r.outcome = outcome;
    r.route = QStringLiteral("/v1/responses");
    r.model = QStringLiteral("gpt-5.4");
    r.latencyMs = 120;
    r.ttfbMs = 40;
    return r;
}

} // namespace

class tst_UsageQueries final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        m_db = std::make_unique<Database>();
        QVERIFY(m_db->open(m_tmp->path()).ok());
        m_secrets = std::make_unique<FileSecretStore>(m_tmp->path());
        m_keys = std::make_unique<KeyService>(*m_db, *m_secrets);
        m_a = m_keys->create(QStringLiteral("alpha")).value().record.id;
        m_b = m_keys->create(QStringLiteral("beta")).value().record.id;
    }

    void cleanup()
    {
        m_keys.reset();
        m_secrets.reset();
        m_db.reset();
        m_tmp.reset();
    }

    void perKeySince_emptyLog_listsEveryKeyWithZerosAndNoAnonymousRow()
    {
        const auto rows = UsageQueries(m_db->connection()).perKeySince(Base);
        QVERIFY2(rows.ok(), qPrintable(rows.error()));
        QCOMPARE(rows.value().size(), 2);
        QCOMPARE(rows.value().at(0).keyId, m_a);
        QCOMPARE(rows.value().at(0).name, QStringLiteral("alpha"));
        QVERIFY(rows.value().at(0).maskedKey.startsWith(QLatin1String("sk-kg-")));
        QCOMPARE(rows.value().at(0).totals, Proxy::UsageTotals());
        QCOMPARE(rows.value().at(0).errors, 0);
        QVERIFY(!rows.value().at(0).lastUsed.isValid());
        QCOMPARE(rows.value().at(1).keyId, m_b);
    }

    void perKeySince_mixedRows_sumsRangeCountsErrorsAndAddsAnonymousRow()
    {
        const QList<Proxy::RequestRecord> records{
            record(m_a, Base.addSecs(-3600), Proxy::TokenUsage{1000, 0, 0, 0, 1000}), // before the range
            record(m_a, Base.addSecs(60), Proxy::TokenUsage{11, 3, 7, 2, 18}),
            record(m_a, Base.addSecs(120), Proxy::TokenUsage{1, 0, 2, 0, 3}, 502,
                   QStringLiteral("upstream_error")),
            record(m_a, Base.addSecs(180), std::nullopt, 200, QStringLiteral("client_closed")),
            record(0, Base.addSecs(240), std::nullopt, 401, QStringLiteral("denied")),
            record(0, Base.addSecs(300), Proxy::TokenUsage{5, 0, 5, 0, 10}),
        };
        QVERIFY(RecordWriter(m_db->connection()).write(records, {}).ok());

        const auto rows = UsageQueries(m_db->connection()).perKeySince(Base);
        QVERIFY2(rows.ok(), qPrintable(rows.error()));
        QCOMPARE(rows.value().size(), 3);
        const KeyUsageSummary &a = rows.value().at(0);
        QCOMPARE(a.totals.requestCount, 3);
        QCOMPARE(a.totals.input, 12);
        QCOMPARE(a.totals.cached, 3);
        QCOMPARE(a.totals.output, 9);
        QCOMPARE(a.totals.reasoning, 2);
        QCOMPARE(a.totals.total, 21);
        QCOMPARE(a.totals.costUsd, 0.0);
        QCOMPARE(a.errors, 2); // 502 and client_closed
        QCOMPARE(a.lastUsed, Base.addSecs(180));
        QCOMPARE(rows.value().at(1).totals, Proxy::UsageTotals());
        const KeyUsageSummary &anonymous = rows.value().at(2);
        QCOMPARE(anonymous.keyId, 0);
        QCOMPARE(anonymous.totals.requestCount, 2);
        QCOMPARE(anonymous.totals.total, 10);
        QCOMPARE(anonymous.errors, 1);
        QCOMPARE(anonymous.lastUsed, Base.addSecs(300));

        const auto earlier = UsageQueries(m_db->connection()).perKeySince(Base.addSecs(-7200)).value();
        QCOMPARE(earlier.at(0).totals.requestCount, 4);
        QCOMPARE(earlier.at(0).totals.total, 1021);
    }

    void perKeySince_deletedKey_countsAsAnonymous()
    {
        QVERIFY(RecordWriter(m_db->connection())
                    .write({record(m_b, Base.addSecs(10), Proxy::TokenUsage{1, 0, 1, 0, 2})}, {})
                    .ok());
        QVERIFY(m_keys->remove(m_b).ok());
        const auto rows = UsageQueries(m_db->connection()).perKeySince(Base).value();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).keyId, m_a);
        QCOMPARE(rows.at(1).keyId, 0);
        QCOMPARE(rows.at(1).totals.total, 2);
    }

    void tokenBuckets_hourlyStarts_sumTotalsPerKeyAndBucket()
    {
        const QList<Proxy::RequestRecord> records{
            record(m_a, Base.addSecs(-60), Proxy::TokenUsage{0, 0, 0, 0, 500}), // before the first bucket
            record(m_a, Base.addSecs(10), Proxy::TokenUsage{0, 0, 0, 0, 18}),
            record(m_a, Base.addSecs(3599), Proxy::TokenUsage{0, 0, 0, 0, 2}),
            record(m_a, Base.addSecs(2 * 3600 + 5), Proxy::TokenUsage{0, 0, 0, 0, 7}),
            record(m_a, Base.addSecs(2 * 3600 + 6), std::nullopt),
            record(m_b, Base.addSecs(3600), Proxy::TokenUsage{0, 0, 0, 0, 30}),
            record(0, Base.addSecs(20), Proxy::TokenUsage{0, 0, 0, 0, 4}),
        };
        QVERIFY(RecordWriter(m_db->connection()).write(records, {}).ok());
        QList<QDateTime> starts;
        for (int hour = 0; hour < 3; ++hour)
            starts.append(Base.addSecs(hour * 3600));

        const auto buckets = UsageQueries(m_db->connection()).tokenBuckets(starts);
        QVERIFY2(buckets.ok(), qPrintable(buckets.error()));
        const QList<TokenBucket> expected{{0, 0, 4}, {m_a, 0, 20}, {m_a, 2, 7}, {m_b, 1, 30}};
        QCOMPARE(buckets.value(), expected);
    }

    void tokenBuckets_dailyStarts_mergeHoursOfOneDay()
    {
        QVERIFY(RecordWriter(m_db->connection())
                    .write({record(m_a, Base.addSecs(3600), Proxy::TokenUsage{0, 0, 0, 0, 5}),
                            record(m_a, Base.addSecs(5 * 3600), Proxy::TokenUsage{0, 0, 0, 0, 6}),
                            record(m_a, Base.addDays(1), Proxy::TokenUsage{0, 0, 0, 0, 1})},
                           {})
                    .ok());
        const QList<QDateTime> days{Base.addDays(-1), Base, Base.addDays(1)};
        const auto buckets = UsageQueries(m_db->connection()).tokenBuckets(days).value();
        const QList<TokenBucket> expected{{m_a, 1, 11}, {m_a, 2, 1}};
        QCOMPARE(buckets, expected);
    }

    void bucketIndex_timesAroundStarts_pickLastStartAtOrBefore()
    {
        const QList<QDateTime> starts{Base, Base.addSecs(3600)};
        QCOMPARE(UsageQueries::bucketIndex(starts, Base.addSecs(-1)), -1);
        QCOMPARE(UsageQueries::bucketIndex(starts, Base), 0);
        QCOMPARE(UsageQueries::bucketIndex(starts, Base.addSecs(3599)), 0);
        QCOMPARE(UsageQueries::bucketIndex(starts, Base.addDays(3)), 1);
    }

    void recentRequests_ofOneKey_newestFirstWithLimit()
    {
        QList<Proxy::RequestRecord> records;
        for (int i = 0; i < 5; ++i)
            records.append(record(m_a, Base.addSecs(i), Proxy::TokenUsage{i, 0, 1, 0, i + 1}));
        records.append(record(m_b, Base.addSecs(100), std::nullopt, 500, QStringLiteral("upstream_error")));
        records.last().ttfbMs.reset();
        QVERIFY(RecordWriter(m_db->connection()).write(records, {}).ok());

        const auto recent = UsageQueries(m_db->connection()).recentRequests(m_a, 3);
        QVERIFY2(recent.ok(), qPrintable(recent.error()));
        QCOMPARE(recent.value().size(), 3);
        const RequestLogEntry &newest = recent.value().first();
        QCOMPARE(newest.time, Base.addSecs(4));
        QCOMPARE(newest.route, QStringLiteral("/v1/responses"));
        QCOMPARE(newest.model, QStringLiteral("gpt-5.4"));
        QCOMPARE(newest.status, 200);
        QCOMPARE(newest.outcome, QStringLiteral("ok"));
        QVERIFY(newest.usage.has_value());
        QCOMPARE(newest.usage->total, 5);
        QCOMPARE(newest.latencyMs, 120);
        QCOMPARE(newest.ttfbMs, std::optional<qint64>(40));
        QCOMPARE(recent.value().last().time, Base.addSecs(2));

        const auto other = UsageQueries(m_db->connection()).recentRequests(m_b, 10).value();
        QCOMPARE(other.size(), 1);
        QVERIFY(!other.first().usage.has_value());
        QVERIFY(!other.first().ttfbMs.has_value());
        QCOMPARE(other.first().status, 500);
        QVERIFY(UsageQueries(m_db->connection()).recentRequests(0, 10).value().isEmpty());
    }

    void requestCountSince_allKeysAndAnonymous_countsFromTime()
    {
        QVERIFY(
            RecordWriter(m_db->connection())
                .write({record(m_a, Base.addSecs(-1), std::nullopt), record(m_a, Base, std::nullopt),
                        record(m_b, Base.addSecs(1), std::nullopt), record(0, Base.addSecs(2), std::nullopt)},
                       {})
                .ok());
        QCOMPARE(UsageQueries(m_db->connection()).requestCountSince(Base).value(), 3);
        QCOMPARE(UsageQueries(m_db->connection()).requestCountSince(Base.addSecs(10)).value(), 0);
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FileSecretStore> m_secrets;
    std::unique_ptr<KeyService> m_keys;
    qint64 m_a = 0;
    qint64 m_b = 0;
};

QTEST_GUILESS_MAIN(tst_UsageQueries)
#include "tst_usagequeries.moc"
