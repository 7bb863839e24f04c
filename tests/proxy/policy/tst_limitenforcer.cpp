// SPDX-License-Identifier: MIT
// Unit: per-key limits counted in memory, with an injected clock (no server, no SQL).
#include "proxy/policy/LimitEnforcer.h"
#include "proxy/policy/LimitSchedule.h"

#include <QTest>

using namespace Proxy;

namespace {

const QDateTime Created(QDate(2026, 11, 1), QTime(9, 30), Qt::UTC); // windows anchored at 09:00
const QDateTime Now(QDate(2026, 11, 28), QTime(12, 15), Qt::UTC);    // day window 09:00 → 09:00 tomorrow

KeyEntry keyWith(const QList<KeyLimit> &limits, qint64 id = 1)
{
    KeyEntry key;
    key.id = id;
    key.name = QStringLiteral("pi-laptop");
    key.createdAt = Created;
    key.policy.limits = limits;
    return key;
}

KeySnapshot snapshotOf(const QList<KeyEntry> &keys)
{
    KeySnapshot snapshot;
    for (const KeyEntry &key : keys)
        snapshot.insert(QByteArray::number(key.id), key);
    return snapshot;
}

TokenUsage used(qint64 input, qint64 output)
{
    return {input, 0, output, 0, input + output};
}

} // namespace

class tst_LimitEnforcer final : public QObject
{
    Q_OBJECT

private slots:
    void exhaustedLimit_refused429_withResetAndMessage();
    void reservation_concurrentRequestRefused_overshootBoundedAndClamped();
    void largeLimit_admitsConcurrentRequests();
    void perModelLimit_countsOnlyThatModel();
    void costLimit_countsMicroDollarsFromThePricingTable();
    void windowRollover_countStartsAgain();
    void baseline_rebuildsCountsAfterRestart();
    void limitAddedLater_countsUsageAlreadyInItsWindow();
    void requestWithoutUsage_releasesItsReservation();
    void usageReset_countsFromTheResetOnly_windowRestartsAtItsHour();
};

void tst_LimitEnforcer::exhaustedLimit_refused429_withResetAndMessage()
{
    const KeyEntry key = keyWith({{7, LimitType::TotalTokens, LimitWindow::Day, 1000, {}}});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    const PolicyDecision first = limits.admit(key, {QStringLiteral("gpt-5.4"), 300}, Now);
    QVERIFY(first.allowed());
    QCOMPARE(first.trace, QStringLiteral("limit tokens/day 0% \u2192 allowed"));
    limits.settle(first.reservation, key.id, QStringLiteral("gpt-5.4"), Now, used(900, 300), {});

    const PolicyDecision refused = limits.admit(key, {QStringLiteral("gpt-5.4"), 300}, Now.addSecs(60));
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.type, QStringLiteral("rate_limit_error"));
    QCOMPARE(refused.code, QStringLiteral("rate_limit_exceeded"));
    const QDateTime reset(QDate(2026, 11, 29), QTime(9, 0), Qt::UTC);
    QCOMPARE(refused.resetsAt, std::optional<qint64>(reset.toSecsSinceEpoch()));
    QCOMPARE(refused.message,
             QStringLiteral("API key total_tokens daily limit exceeded. Usage resets at 2026-11-29T09:00:00Z."));
    QCOMPARE(refused.trace, QStringLiteral("limit tokens/day 100% \u2192 429"));
    QCOMPARE(refused.reservation, 0);
}

void tst_LimitEnforcer::reservation_concurrentRequestRefused_overshootBoundedAndClamped()
{
    const KeyEntry key = keyWith({{7, LimitType::TotalTokens, LimitWindow::Day, 1000, {}}});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    // The estimate (≥ 2048 output tokens) is more than the headroom: the first request reserves all of it.
    const PolicyDecision first = limits.admit(key, {QStringLiteral("gpt-5.4"), 100}, Now);
    QVERIFY(first.allowed());
    const PolicyDecision second = limits.admit(key, {QStringLiteral("gpt-5.4"), 100}, Now);
    QCOMPARE(second.status, 429);
    // The first request used more than the limit: the count overshoots by what was in flight, shown clamped.
    limits.settle(first.reservation, key.id, QStringLiteral("gpt-5.4"), Now, used(1000, 280), {});
    const QList<LimitStatus> statuses = limits.statuses(key, Now);
    QCOMPARE(statuses.size(), 1);
    QCOMPARE(statuses.first().current, 1280);
    QCOMPARE(statuses.first().clamped(), 1000);
    QCOMPARE(statuses.first().remaining(), 0);
    QCOMPARE(statuses.first().percent(), 100);
    QCOMPARE(limits.admit(key, {QStringLiteral("gpt-5.4"), 100}, Now).status, 429);
}

void tst_LimitEnforcer::largeLimit_admitsConcurrentRequests()
{
    const KeyEntry key = keyWith({{7, LimitType::TotalTokens, LimitWindow::FiveHours, 1'000'000, {}}});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    for (int i = 0; i < 50; ++i)
        QVERIFY(limits.admit(key, {QStringLiteral("gpt-5.4"), 20'000}, Now).allowed());
}

void tst_LimitEnforcer::perModelLimit_countsOnlyThatModel()
{
    const KeyEntry key = keyWith({{7, LimitType::OutputTokens, LimitWindow::Week, 500, QStringLiteral("gpt-5.4-mini")}});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    // Another model is not limited at all and does not count.
    PolicyDecision other = limits.admit(key, {QStringLiteral("gpt-5.4"), 10}, Now);
    QVERIFY(other.allowed());
    QVERIFY(other.trace.isEmpty());
    limits.settle(other.reservation, key.id, QStringLiteral("gpt-5.4"), Now, used(100, 5000), {});
    PolicyDecision mini = limits.admit(key, {QStringLiteral("gpt-5.4-mini"), 10}, Now);
    QVERIFY(mini.allowed());
    QCOMPARE(mini.trace, QStringLiteral("limit output/week (gpt-5.4-mini) 0% \u2192 allowed"));
    limits.settle(mini.reservation, key.id, QStringLiteral("gpt-5.4-mini"), Now, used(100, 500), {});
    const PolicyDecision refused = limits.admit(key, {QStringLiteral("gpt-5.4-mini"), 10}, Now);
    QCOMPARE(refused.status, 429);
    QVERIFY(refused.message.contains(QStringLiteral("output_tokens weekly limit exceeded for model gpt-5.4-mini")));
    QVERIFY(limits.admit(key, {QStringLiteral("gpt-5.4"), 10}, Now).allowed());
}

void tst_LimitEnforcer::costLimit_countsMicroDollarsFromThePricingTable()
{
    const KeyEntry key = keyWith({{7, LimitType::CostMicros, LimitWindow::Month, 3000, {}}}); // $0.003
    LimitEnforcer limits;
    limits.setPricing(std::make_shared<const PricingTable>(
        *PricingTable::fromJson("{\"models\":{\"gpt-5.4*\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15}}}")));
    limits.applyKeys(snapshotOf({key}));
    // Costs are settled as the proxy computed them; unknown prices count as nothing.
    for (int i = 0; i < 2; ++i) {
        const PolicyDecision admitted = limits.admit(key, {QStringLiteral("gpt-5.4"), 10}, Now);
        QVERIFY(admitted.allowed());
        limits.settle(admitted.reservation, key.id, QStringLiteral("gpt-5.4"), Now, used(200, 80), 1700);
    }
    QCOMPARE(limits.statuses(key, Now).first().current, 3400);
    QCOMPARE(limits.admit(key, {QStringLiteral("gpt-5.4"), 10}, Now).status, 429);

    const KeyEntry other = keyWith({{8, LimitType::CostMicros, LimitWindow::Month, 3000, {}}}, 2);
    limits.applyKeys(snapshotOf({key, other}));
    const PolicyDecision unknown = limits.admit(other, {QStringLiteral("mystery-model"), 10}, Now);
    QVERIFY(unknown.allowed());
    limits.settle(unknown.reservation, other.id, QStringLiteral("mystery-model"), Now, used(5000, 5000), std::nullopt);
    QCOMPARE(limits.statuses(other, Now).first().current, 0);
}

void tst_LimitEnforcer::windowRollover_countStartsAgain()
{
    const KeyEntry key = keyWith({{7, LimitType::InputTokens, LimitWindow::FiveHours, 100, {}}});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    // 5-hour windows since 2026-11-01 09:00: … 06:00, 11:00, 16:00 on the 28th.
    const QDateTime inWindow(QDate(2026, 11, 28), QTime(13, 10), Qt::UTC);
    const PolicyDecision admitted = limits.admit(key, {{}, 10}, inWindow);
    limits.settle(admitted.reservation, key.id, {}, inWindow, used(150, 0), {});
    QCOMPARE(limits.admit(key, {{}, 10}, inWindow.addSecs(60)).status, 429);
    const QDateTime nextWindow(QDate(2026, 11, 28), QTime(16, 0), Qt::UTC);
    const PolicyDecision after = limits.admit(key, {{}, 10}, nextWindow);
    QVERIFY(after.allowed());
    QCOMPARE(limits.statuses(key, nextWindow).first().current, 0);
    QCOMPARE(limits.statuses(key, nextWindow).first().resetAt, QDateTime(QDate(2026, 11, 28), QTime(21, 0), Qt::UTC));
}

void tst_LimitEnforcer::baseline_rebuildsCountsAfterRestart()
{
    const KeyEntry key = keyWith({{7, LimitType::TotalTokens, LimitWindow::Day, 10'000, {}},
                                  {8, LimitType::TotalTokens, LimitWindow::Week, 100'000, {}}});
    const qint64 windowHour = QDateTime(QDate(2026, 11, 28), QTime(9, 0), Qt::UTC).toSecsSinceEpoch() / 3600;
    // What the request log holds: two hours in today's window, one the day before, one of another key.
    const QList<HourlyUsage> rows{{1, QStringLiteral("gpt-5.4"), windowHour, 100, 50, 150, 0},
                                  {1, QStringLiteral("gpt-5.4-mini"), windowHour + 3, 1000, 200, 1200, 0},
                                  {1, QStringLiteral("gpt-5.4"), windowHour - 2, 4000, 0, 4000, 0},
                                  {2, QStringLiteral("gpt-5.4"), windowHour, 9999, 0, 9999, 0}};
    LimitEnforcer limits;
    limits.setBaseline(rows);
    limits.applyKeys(snapshotOf({key}));
    const QList<LimitStatus> statuses = limits.statuses(key, Now);
    QCOMPARE(statuses.size(), 2);
    QCOMPARE(statuses.at(0).current, 1350);
    QCOMPARE(statuses.at(1).current, 5350); // week window began 2026-11-22 09:00
}

void tst_LimitEnforcer::limitAddedLater_countsUsageAlreadyInItsWindow()
{
    KeyEntry key = keyWith({});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    const PolicyDecision open = limits.admit(key, {QStringLiteral("gpt-5.4"), 10}, Now);
    QVERIFY(open.allowed());
    QCOMPARE(open.reservation, 0);
    limits.settle(open.reservation, key.id, QStringLiteral("gpt-5.4"), Now, used(700, 400), {});

    key.policy.limits = {{9, LimitType::TotalTokens, LimitWindow::Day, 1000, {}}};
    limits.applyKeys(snapshotOf({key}));
    QCOMPARE(limits.statuses(key, Now).first().current, 1100);
    QCOMPARE(limits.admit(key, {QStringLiteral("gpt-5.4"), 10}, Now).status, 429);
}

void tst_LimitEnforcer::requestWithoutUsage_releasesItsReservation()
{
    const KeyEntry key = keyWith({{7, LimitType::TotalTokens, LimitWindow::Day, 1000, {}}});
    LimitEnforcer limits;
    limits.applyKeys(snapshotOf({key}));
    const PolicyDecision first = limits.admit(key, {{}, 10}, Now);
    QCOMPARE(limits.admit(key, {{}, 10}, Now).status, 429); // all headroom reserved
    limits.settle(first.reservation, key.id, {}, Now, std::nullopt, std::nullopt); // e.g. the upstream failed
    QVERIFY(limits.admit(key, {{}, 10}, Now).allowed());
}

void tst_LimitEnforcer::usageReset_countsFromTheResetOnly_windowRestartsAtItsHour()
{
    // 1,200 tokens used today, 500 of them at 12:05, before a reset at 12:15 (Now); the 12:00 hour
    // is counted minus those 500 (the offset the reset stored from the request log).
    KeyLimit limit{7, LimitType::TotalTokens, LimitWindow::Day, 1000, {}};
    KeyEntry key = keyWith({limit});
    LimitEnforcer limits;
    limits.setBaseline({{key.id, QStringLiteral("gpt-5.4"), LimitSchedule::hourOf(Now) - 2, 0, 0, 700, 0},
                        {key.id, QStringLiteral("gpt-5.4"), LimitSchedule::hourOf(Now), 0, 0, 500, 0}});
    limits.applyKeys(snapshotOf({key}));
    QCOMPARE(limits.admit(key, {QStringLiteral("gpt-5.4"), 300}, Now).status, 429);

    limit.countedFrom = Now;
    limit.countedOffset = 500;
    key = keyWith({limit});
    limits.applyKeys(snapshotOf({key})); // what a running proxy gets when the reset is published
    QCOMPARE(limits.statuses(key, Now).first().current, 0);
    // The window restarts at the reset's hour: the next reset is a day after 12:00, not at 09:00.
    QCOMPARE(limits.statuses(key, Now).first().resetAt, QDateTime(QDate(2026, 11, 29), QTime(12, 0), Qt::UTC));
    const PolicyDecision admitted = limits.admit(key, {QStringLiteral("gpt-5.4"), 300}, Now.addSecs(5));
    QVERIFY(admitted.allowed());
    limits.settle(admitted.reservation, key.id, QStringLiteral("gpt-5.4"), Now.addSecs(5), used(200, 100), {});
    QCOMPARE(limits.statuses(key, Now.addSecs(10)).first().current, 300);

    // A restart rebuilds the same count from the hourly log: the reset's hour minus the offset.
    LimitEnforcer restarted;
    restarted.setBaseline({{key.id, QStringLiteral("gpt-5.4"), LimitSchedule::hourOf(Now) - 2, 0, 0, 700, 0},
                           {key.id, QStringLiteral("gpt-5.4"), LimitSchedule::hourOf(Now), 200, 100, 800, 0}});
    restarted.applyKeys(snapshotOf({key}));
    QCOMPARE(restarted.statuses(key, Now.addSecs(10)).first().current, 300);
    // A day later the next window counts from zero as usual.
    QCOMPARE(restarted.statuses(key, Now.addDays(1)).first().current, 0);
}

QTEST_GUILESS_MAIN(tst_LimitEnforcer)
#include "tst_limitenforcer.moc"
