// SPDX-License-Identifier: MIT
#include "ui/accounts/AccountStatusText.h"

#include <QtTest>

using namespace Console;

namespace {
const QDateTime Now = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
}

class tst_AccountStatusText final : public QObject
{
    Q_OBJECT

private slots:
    void countdown_units()
    {
        QCOMPARE(AccountStatusText::countdown(Now.addSecs(200), Now), QStringLiteral("in 3m 20s"));
        QCOMPARE(AccountStatusText::countdown(Now.addSecs(2 * 3600 + 600), Now), QStringLiteral("in 2h 10m"));
        QCOMPARE(AccountStatusText::countdown(Now.addSecs(3 * 86400 + 4 * 3600), Now), QStringLiteral("in 3d 4h"));
        QCOMPARE(AccountStatusText::countdown(Now.addSecs(-5), Now), QStringLiteral("now"));
    }

    void state_eachKind()
    {
        Core::AccountRecord record;
        Proxy::AccountRuntimeStatus status;
        QCOMPARE(AccountStatusText::state(record, status, Now), QStringLiteral("active"));
        status.cooldownUntil = Now.addSecs(200);
        QVERIFY(AccountStatusText::state(record, status, Now).startsWith(u"cooling down until "));
        QVERIFY(AccountStatusText::state(record, status, Now).endsWith(u"(in 3m 20s)"));
        status.cooldownUntil = Now.addSecs(-1); // over: active again
        QCOMPARE(AccountStatusText::state(record, status, Now), QStringLiteral("active"));
        status.consecutiveErrors = 3;
        status.backoffUntil = Now.addSecs(25);
        QVERIFY(AccountStatusText::state(record, status, Now).startsWith(u"backoff after 3 errors until "));
        QVERIFY(AccountStatusText::state(record, status, Now).endsWith(u"(in 0m 25s)"));
        QVERIFY(!AccountStatusText::isAvailable(record, status, Now));
        QCOMPARE(AccountStatusText::state(record, status, Now.addSecs(25)), QStringLiteral("active"));
        status.needsReauth = true; // the running proxy's refresh failed
        status.lastError = QStringLiteral("token refresh failed");
        QCOMPARE(AccountStatusText::state(record, status, Now), QStringLiteral("needs re-auth: token refresh failed"));
        QVERIFY(!AccountStatusText::isAvailable(record, status, Now.addSecs(60)));
        status = {};
        record.state = Proxy::AccountState::Paused;
        QCOMPARE(AccountStatusText::state(record, status, Now), QStringLiteral("paused"));
        record.state = Proxy::AccountState::NeedsReauth;
        record.stateReason = QStringLiteral("Refresh token was reused");
        QCOMPARE(AccountStatusText::state(record, status, Now), QStringLiteral("needs re-auth: Refresh token was reused"));
    }

    void quota_windowsAndUnknown()
    {
        Proxy::AccountRuntimeStatus status;
        QCOMPARE(AccountStatusText::quota(status, Now), QStringLiteral("unknown"));
        status.primaryUsedPercent = 40;
        status.primaryResetAt = Now.addSecs(2 * 3600 + 600);
        status.secondaryUsedPercent = 12;
        QCOMPARE(AccountStatusText::quota(status, Now),
                 QStringLiteral("5h 40% used, resets in 2h 10m \u00b7 week 12% used"));
        QCOMPARE(AccountStatusText::remainingPercent(status), 60);
    }

    void pool_countsAvailableAndBestRemaining()
    {
        Core::AccountRecord a;
        a.id = 1;
        Core::AccountRecord b;
        b.id = 2;
        Core::AccountRecord c;
        c.id = 3;
        c.state = Proxy::AccountState::Paused;
        Proxy::AccountRuntimeStatus aStatus;
        aStatus.id = 1;
        aStatus.primaryUsedPercent = 80;
        Proxy::AccountRuntimeStatus bStatus;
        bStatus.id = 2;
        bStatus.secondaryUsedPercent = 30;
        QCOMPARE(AccountStatusText::pool({a, b, c}, {aStatus, bStatus}, Now),
                 QStringLiteral("2 of 3 accounts available \u00b7 most left: week 30% used"));
        bStatus.cooldownUntil = Now.addSecs(60);
        QCOMPARE(AccountStatusText::pool({a, b, c}, {aStatus, bStatus}, Now),
                 QStringLiteral("1 of 3 accounts available \u00b7 most left: 5h 80% used"));
        // Nothing reported: the Accounts page says "unknown", and so does the pool.
        aStatus.primaryUsedPercent = -1;
        QCOMPARE(AccountStatusText::pool({a, b, c}, {aStatus, bStatus}, Now),
                 QStringLiteral("1 of 3 accounts available \u00b7 quota: unknown"));
        QCOMPARE(AccountStatusText::pool({}, {}, Now), QStringLiteral("no upstream accounts"));
    }
};

QTEST_GUILESS_MAIN(tst_AccountStatusText)
#include "tst_accountstatustext.moc"
