// SPDX-License-Identifier: MIT
// How the console words a limit: amounts, the reset countdown, the whole bar line and its level.
#include "app/core/services/KeyPolicyService.h"

#include "ui/common/LimitText.h"

#include <QTest>

using namespace Console;

namespace {

const QDateTime Now(QDate(2025, 3, 14), QTime(9, 30, 0), Qt::UTC);

Proxy::LimitStatus status(Proxy::LimitType type, Proxy::LimitWindow window, qint64 max, qint64 current,
                          const QDateTime &resetAt, const QString &model = {})
{
    return Proxy::LimitStatus{7, Proxy::KeyLimit{1, type, window, max, model}, current, resetAt};
}

} // namespace

class tst_LimitText final : public QObject
{
    Q_OBJECT

private slots:
    void describe_tokens_usedOfMaxPercentLeftAndCountdown()
    {
        const auto tokens = status(Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 100'000, 12'345,
                                   Now.addSecs(3 * 3600 + 12 * 60 + 30));
        QCOMPARE(LimitText::describe(tokens, Now),
                 QStringLiteral("tokens / day — 12,345 of 100,000 (88 % left) · resets in 3 h 12 min"));
        QCOMPARE(LimitText::level(tokens), LimitText::Level::Normal);
    }

    void describe_costWithModel_dollarsAndModelNamed()
    {
        const auto cost = status(Proxy::LimitType::CostMicros, Proxy::LimitWindow::Month, 5'000'000, 1'250'000,
                                 Now.addSecs(2 * 86400 + 4 * 3600 + 59), QStringLiteral("gpt-5.4"));
        QCOMPARE(LimitText::describe(cost, Now),
                 QStringLiteral("cost / month (gpt-5.4 only) — $1.25 of $5.00 (75 % left) · resets in 2 d 4 h"));
    }

    void describe_overshoot_clampedAndExhausted()
    {
        const auto over = status(Proxy::LimitType::OutputTokens, Proxy::LimitWindow::FiveHours, 100, 120,
                                 Now.addSecs(42));
        QCOMPARE(LimitText::describe(over, Now),
                 QStringLiteral("output / 5h — 100 of 100 (exhausted) · resets in 42 s"));
        QCOMPARE(LimitText::level(over), LimitText::Level::Exhausted);
    }

    void describe_afterAUsageReset_saysWhenInLocalTime()
    {
        auto reset = status(Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 100, 0, Now.addSecs(3600));
        reset.limit.countedFrom = Now.addSecs(-60);
        const QString local = Now.addSecs(-60).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        QCOMPARE(LimitText::describe(reset, Now),
                 QStringLiteral("tokens / day — 0 of 100 (100 % left) · resets in 1 h · usage reset ") + local);
    }

    void describe_resetPassedOrUnknown()
    {
        const auto passed = status(Proxy::LimitType::InputTokens, Proxy::LimitWindow::Week, 10, 1, Now.addSecs(-5));
        QCOMPARE(LimitText::describe(passed, Now), QStringLiteral("input / week — 1 of 10 (90 % left) · resets now"));
        const auto unknown = status(Proxy::LimitType::InputTokens, Proxy::LimitWindow::Week, 10, 1, QDateTime());
        QCOMPARE(LimitText::describe(unknown, Now), QStringLiteral("input / week — 1 of 10 (90 % left)"));
    }

    void level_warningFromEightyPercent()
    {
        const QDateTime reset = Now.addSecs(60);
        QCOMPARE(LimitText::level(status(Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 100, 79, reset)),
                 LimitText::Level::Normal);
        QCOMPARE(LimitText::level(status(Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 100, 80, reset)),
                 LimitText::Level::Warning);
        QCOMPARE(LimitText::level(status(Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 100, 99, reset)),
                 LimitText::Level::Warning);
        QCOMPARE(LimitText::level(status(Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 100, 100, reset)),
                 LimitText::Level::Exhausted);
    }

    void countdown_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("past") << qint64(-3) << QStringLiteral("now");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("now");
        QTest::newRow("seconds") << qint64(59) << QStringLiteral("59 s");
        QTest::newRow("minute") << qint64(60) << QStringLiteral("1 min");
        QTest::newRow("minutes") << qint64(59 * 60 + 59) << QStringLiteral("59 min");
        QTest::newRow("hour") << qint64(3600) << QStringLiteral("1 h");
        QTest::newRow("hours") << qint64(4 * 3600 + 59 * 60 + 59) << QStringLiteral("4 h 59 min");
        QTest::newRow("day") << qint64(86400) << QStringLiteral("1 d");
        QTest::newRow("days") << qint64(29 * 86400 + 23 * 3600 + 59 * 60) << QStringLiteral("29 d 23 h");
    }

    void countdown()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(LimitText::countdown(seconds), text);
    }

    void amount_tokensGroupedCostInDollars()
    {
        QCOMPARE(LimitText::amount(Proxy::LimitType::TotalTokens, 1'250'000), QStringLiteral("1,250,000"));
        QCOMPARE(LimitText::amount(Proxy::LimitType::TotalTokens, 999), QStringLiteral("999"));
        QCOMPARE(LimitText::amount(Proxy::LimitType::CostMicros, 0), QStringLiteral("$0.00"));
        QCOMPARE(LimitText::amount(Proxy::LimitType::CostMicros, 1'234), QStringLiteral("$0.0012"));
        QCOMPARE(LimitText::title({0, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::FiveHours, 1, {}}),
                 QStringLiteral("tokens / 5h"));
    }

    void editableMax_readBackExactlyByParseMax()
    {
        QCOMPARE(LimitText::editableMax(Proxy::LimitType::CostMicros, 5'000'000), QStringLiteral("5.00"));
        QCOMPARE(LimitText::editableMax(Proxy::LimitType::CostMicros, 2'500'000), QStringLiteral("2.50"));
        QCOMPARE(LimitText::editableMax(Proxy::LimitType::CostMicros, 1'234'567), QStringLiteral("1.234567"));
        QCOMPARE(LimitText::editableMax(Proxy::LimitType::TotalTokens, 100'000), QStringLiteral("100000"));
        for (const qint64 micros : {qint64(1), qint64(10), qint64(1'000'001), qint64(999'999'999'999)}) {
            const auto parsed = Core::KeyPolicyService::parseMax(
                Proxy::LimitType::CostMicros, LimitText::editableMax(Proxy::LimitType::CostMicros, micros));
            QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
            QCOMPARE(parsed.value(), micros);
        }
    }
};

QTEST_GUILESS_MAIN(tst_LimitText)
#include "tst_limittext.moc"
