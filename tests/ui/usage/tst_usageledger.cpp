// SPDX-License-Identifier: MIT
// The usage page's plain pieces: ranges and buckets, folding live records, the table and
// recent-requests models.
#include "ui/usage/RecentRequestsModel.h"
#include "ui/usage/UsageLedger.h"
#include "ui/usage/UsageRange.h"
#include "ui/usage/UsageTableModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace Console;

namespace {

const QDateTime Noon(QDate(2025, 3, 10), QTime(12, 30));

Proxy::RequestRecord record(qint64 keyId, const QDateTime &time, qint64 total, int status = 200)
{
    Proxy::RequestRecord r;
    r.keyId = keyId;
    r.time = time.toUTC();
    r.status = status;
    r.outcome = status < 400 ? QStringLiteral("ok") : QStringLiteral("upstream_error");
    r.usage = Proxy::TokenUsage{total, 0, 0, 0, total};
    return r;
}

Core::KeyUsageSummary key(qint64 id, const QString &name)
{
    Core::KeyUsageSummary usage;
    usage.keyId = id;
    usage.name = name;
    return usage;
}

} // namespace

class tst_UsageLedger final : public QObject
{
    Q_OBJECT

private slots:
    void make_today_hasLocalHourBuckets()
    {
        const UsageRange range = UsageRange::make(UsageRange::Span::Today, Noon);
        QCOMPARE(range.day, Noon.date());
        QCOMPARE(range.since, Noon.date().startOfDay().toUTC());
        QVERIFY(range.bucketStarts.size() >= 23 && range.bucketStarts.size() <= 25); // 24 except on DST days
        QCOMPARE(range.bucketOf(Noon), 12);
        QCOMPARE(range.bucketOf(Noon.date().startOfDay().addSecs(-1)), -1);
    }

    void make_sevenAndThirtyDays_haveDailyBucketsEndingToday()
    {
        const UsageRange week = UsageRange::make(UsageRange::Span::SevenDays, Noon);
        QCOMPARE(week.bucketStarts.size(), 7);
        QCOMPARE(week.since, Noon.date().addDays(-6).startOfDay().toUTC());
        QCOMPARE(week.bucketOf(Noon), 6);
        QCOMPARE(UsageRange::make(UsageRange::Span::ThirtyDays, Noon).bucketStarts.size(), 30);
    }

    void add_records_foldIntoRowsBucketsAndAnonymousRow()
    {
        UsageLedger ledger;
        const UsageRange range = UsageRange::make(UsageRange::Span::Today, Noon);
        ledger.reset(range, {key(1, QStringLiteral("a")), key(2, QStringLiteral("b"))}, {{1, 12, 5}});
        QCOMPARE(ledger.tokensPerBucket(1).value(12), 5);

        const QList<Proxy::RequestRecord> records{record(1, Noon, 18), record(1, Noon.addSecs(3600), 2, 500),
                                                  record(9, Noon, 4),                 // deleted key
                                                  record(1, Noon.addDays(-1), 1000)}; // before the range
        QVERIFY(ledger.wouldAppendRow(records));
        const UsageLedger::Change change = ledger.add(records);
        QCOMPARE(change.changedRows, QList<int>{0});
        QVERIFY(change.rowAppended);
        QCOMPARE(ledger.rows().size(), 3);
        const Core::KeyUsageSummary &a = ledger.rows().at(0);
        QCOMPARE(a.totals.requestCount, 2);
        QCOMPARE(a.totals.total, 20);
        QCOMPARE(a.errors, 1);
        QCOMPARE(a.lastUsed, Noon.addSecs(3600).toUTC());
        QCOMPARE(ledger.tokensPerBucket(1).value(12), 23);
        QCOMPARE(ledger.tokensPerBucket(1).value(13), 2);
        QCOMPARE(ledger.rows().at(2).keyId, 0);
        QCOMPARE(ledger.rows().at(2).totals.total, 4);
        QCOMPARE(ledger.rowKeyOf(record(9, Noon, 1)), 0);
        QVERIFY(!ledger.wouldAppendRow({record(0, Noon, 1)}));
    }

    void tableModel_add_insertsAnonymousRowAndSignalsChangedRows()
    {
        UsageTableModel model;
        model.reset(UsageRange::make(UsageRange::Span::Today, Noon), {key(1, QStringLiteral("a"))}, {});
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.add({record(1, Noon, 18), record(0, Noon, 3, 401)}));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, UsageTableModel::Total).data().toString(), QStringLiteral("18"));
        // 18 tokens without a price (no costMicros): unknown, not $0.00.
        QCOMPARE(model.index(0, UsageTableModel::Cost).data().toString(), QStringLiteral("unknown"));
        QCOMPARE(model.index(1, UsageTableModel::Errors).data().toString(), QStringLiteral("1"));
        QCOMPARE(model.index(1, UsageTableModel::Key).data(UsageTableModel::KeyIdRole).toLongLong(), 0);
        QVERIFY(!model.add({record(1, Noon.addDays(-2), 1)}));
    }

    void recentModel_prepend_putsNewestOnTopAndStaysBounded()
    {
        RecentRequestsModel model;
        QList<Proxy::RequestRecord> batch;
        for (int i = 0; i < RecentRequestsModel::Limit + 10; ++i)
            batch.append(record(1, Noon.addSecs(i), i));
        model.prepend(batch);
        QCOMPARE(model.rowCount(), RecentRequestsModel::Limit);
        QCOMPARE(model.entries().first().usage->total, RecentRequestsModel::Limit + 9);
        model.prepend({record(1, Noon.addSecs(1000), 7)});
        QCOMPARE(model.rowCount(), RecentRequestsModel::Limit);
        QCOMPARE(model.index(0, RecentRequestsModel::Tokens).data().toString(), QStringLiteral("7"));
        QCOMPARE(model.index(0, RecentRequestsModel::Ttfb).data().toString(), QStringLiteral("—"));
    }
};

QTEST_MAIN(tst_UsageLedger)
#include "tst_usageledger.moc"
