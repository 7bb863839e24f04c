// SPDX-License-Identifier: MIT
// Unit: limit windows anchored at the key's creation hour, with an injected clock.
#include "proxy/policy/LimitSchedule.h"

#include <QTest>

using namespace Proxy;

namespace {

QDateTime at(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, minute), Qt::UTC);
}

} // namespace

class tst_LimitSchedule final : public QObject
{
    Q_OBJECT

private slots:
    void fiveHours_windowsFollowEachOtherFromTheCreationHour();
    void day_resetsOnSchedule_withoutAnyRequest();
    void week_isSevenDays();
    void month_isThirtyDaysFromCreation_notTheCalendar();
    void windowStart_beforeTheFirstReset_isTheCreationHour();
    void carriedAt_countsOnlyInTheWindowEndingAtTheAnchor();
};

void tst_LimitSchedule::fiveHours_windowsFollowEachOtherFromTheCreationHour()
{
    const QDateTime created = at(1, 9, 42); // anchored at 09:00
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::FiveHours, created, at(1, 13, 59)), at(1, 14));
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::FiveHours, created, at(1, 14)), at(1, 19));
    QCOMPARE(LimitSchedule::windowStart(LimitWindow::FiveHours, created, at(2, 1, 30)), at(2, 0));
}

void tst_LimitSchedule::day_resetsOnSchedule_withoutAnyRequest()
{
    const QDateTime created = at(3, 18, 5);
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::Day, created, at(4, 17, 59)), at(4, 18));
    // Ten days later, with nothing in between, the window is still computed on the same schedule.
    QCOMPARE(LimitSchedule::windowStart(LimitWindow::Day, created, at(13, 18, 0)), at(13, 18));
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::Day, created, at(13, 18, 0)), at(14, 18));
}

void tst_LimitSchedule::week_isSevenDays()
{
    const QDateTime created = at(1, 0, 30);
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::Week, created, at(7, 23, 59)), at(8, 0));
    QCOMPARE(LimitSchedule::windowStart(LimitWindow::Week, created, at(9, 12)), at(8, 0));
}

void tst_LimitSchedule::month_isThirtyDaysFromCreation_notTheCalendar()
{
    const QDateTime created = QDateTime(QDate(2026, 1, 31), QTime(10, 15), Qt::UTC);
    const QDateTime firstReset = QDateTime(QDate(2026, 3, 2), QTime(10, 0), Qt::UTC); // +30 days
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::Month, created, QDateTime(QDate(2026, 2, 28), QTime(23, 0), Qt::UTC)),
             firstReset);
    QCOMPARE(LimitSchedule::windowStart(LimitWindow::Month, created, firstReset), firstReset);
    QCOMPARE(LimitSchedule::resetAt(LimitWindow::Month, created, firstReset), firstReset.addDays(30));
}

void tst_LimitSchedule::windowStart_beforeTheFirstReset_isTheCreationHour()
{
    const QDateTime created = at(20, 7, 59);
    QCOMPARE(LimitSchedule::windowStart(LimitWindow::Week, created, at(20, 8)), at(20, 7));
    QCOMPARE(LimitSchedule::hourOf(created), created.toSecsSinceEpoch() / 3600);
}

void tst_LimitSchedule::carriedAt_countsOnlyInTheWindowEndingAtTheAnchor()
{
    // Imported from codex-lb: its day ends at 18:00 on the 4th, with 700 already used.
    KeyLimit limit{1, LimitType::TotalTokens, LimitWindow::Day, 1000, {}};
    limit.windowAnchor = at(4, 18);
    limit.carriedValue = 700;
    QCOMPARE(LimitSchedule::resetAt(limit.window, LimitSchedule::anchorOf(limit, at(1, 0)), at(4, 9)), at(4, 18));
    QCOMPARE(LimitSchedule::carriedAt(limit, at(4, 9)), 700);
    QCOMPARE(LimitSchedule::carriedAt(limit, at(3, 18)), 700);    // the window's first hour
    QCOMPARE(LimitSchedule::carriedAt(limit, at(4, 17, 59)), 700);
    QCOMPARE(LimitSchedule::carriedAt(limit, at(4, 18)), 0);      // the next window starts from 0
    QCOMPARE(LimitSchedule::carriedAt(limit, at(3, 17, 59)), 0);  // a window before it
    QCOMPARE(LimitSchedule::windowStart(limit.window, LimitSchedule::anchorOf(limit, at(1, 0)), at(5, 2)), at(4, 18));
    limit.countedFrom = at(4, 8); // `keys reset-usage` after the import: codex-lb's count no longer applies
    QCOMPARE(LimitSchedule::carriedAt(limit, at(4, 9)), 0);
    QCOMPARE(LimitSchedule::anchorOf(limit, at(1, 0)), at(4, 8));
    limit.countedFrom = {};
    limit.windowAnchor = {}; // a Keygate limit carries nothing
    QCOMPARE(LimitSchedule::carriedAt(limit, at(4, 9)), 0);
}

QTEST_GUILESS_MAIN(tst_LimitSchedule)
#include "tst_limitschedule.moc"
