// SPDX-License-Identifier: MIT
// The overview's in-memory feeds: the ten-minute rate history and today's totals.
#include "ui/overview/RateHistory.h"
#include "ui/overview/TodayTotals.h"

#include <QTest>

using namespace Console;

namespace {

constexpr qint64 Now = 1'800'000'000;

Proxy::RequestRecord record(qint64 secs, const QString &id = {}, std::optional<qint64> tokens = std::nullopt,
                            std::optional<qint64> costMicros = std::nullopt)
{
    Proxy::RequestRecord r;
    r.time = QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
    r.requestId = id;
    if (tokens)
        r.usage = Proxy::TokenUsage{0, 0, 0, 0, *tokens};
    r.costMicros = costMicros;
    return r;
}

} // namespace

class tst_OverviewFeeds final : public QObject
{
    Q_OBJECT

private slots:
    void series_recordsBySecond_countedWhereTheyArrived()
    {
        RateHistory history;
        history.add({record(Now), record(Now), record(Now - 5)}, Now);
        const QList<int> series = history.series(Now);
        QCOMPARE(series.size(), RateHistory::Seconds);
        QCOMPARE(series.constLast(), 2);
        QCOMPARE(series.at(RateHistory::Seconds - 6), 1);
        QCOMPARE(history.total(Now), 3);
    }

    void series_afterTenQuietMinutes_isEmpty()
    {
        RateHistory history;
        history.add({record(Now)}, Now);
        QCOMPARE(history.total(Now + RateHistory::Seconds - 1), 1);
        QCOMPARE(history.total(Now + RateHistory::Seconds), 0);
        history.add({record(Now + 2 * RateHistory::Seconds)}, Now + 2 * RateHistory::Seconds);
        QCOMPARE(history.total(Now + 2 * RateHistory::Seconds), 1); // the old second was not counted again
    }

    void add_recordOlderThanTenMinutes_ignored()
    {
        RateHistory history;
        history.add({record(Now - RateHistory::Seconds)}, Now);
        QCOMPARE(history.total(Now), 0);
    }

    void costText_unpricedUsage_neverZeroDollars()
    {
        QCOMPARE(TodayTotals::costText({3, 40, 1'250'000, 0}), QStringLiteral("$1.25"));
        QCOMPARE(TodayTotals::costText({1, 18, 0, 1}), QStringLiteral("unknown"));
        QCOMPARE(TodayTotals::costText({2, 36, 1'250'000, 1}), QStringLiteral("$1.25 + unknown"));
        QCOMPARE(TodayTotals::costText({1, 0, 0, 0}), QStringLiteral("$0.00")); // no tokens: nothing to price
    }

    void add_recordsOfToday_countedOnceAndBeforeMidnightLeftOut()
    {
        const QDate day = QDate::currentDate();
        const qint64 midnight = TodayTotals::startOf(day).toSecsSinceEpoch();
        TodayTotals today;
        today.reset(day, {5, 100, 2000, 0}, {QStringLiteral("read-by-baseline")});
        QVERIFY(!today.add({record(midnight - 1, QStringLiteral("yesterday"), 10, 10)}));
        QVERIFY(!today.add({record(midnight + 1, QStringLiteral("read-by-baseline"), 10, 10)}));
        QVERIFY(today.add({record(midnight + 2, QStringLiteral("a"), 18, 500),
                           record(midnight + 3, QStringLiteral("b"), 7)}));
        QCOMPARE(today.totals(), (Core::DayTotals{7, 125, 2500, 1}));
        QVERIFY(
            today.add({record(midnight + 4, QStringLiteral("read-by-baseline"), 1, 1)})); // skipped once only
        QCOMPARE(today.totals().requests, 8);
    }
};

QTEST_GUILESS_MAIN(tst_OverviewFeeds)
#include "tst_overviewfeeds.moc"
