// SPDX-License-Identifier: MIT
#include "proxy/routing/AccountPool.h"

#include <QTest>

using namespace Proxy;

namespace {

const QDateTime T0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

UpstreamAccount account(qint64 id, int priority = 0, AccountState state = AccountState::Active)
{
    UpstreamAccount out;
    out.id = id;
    out.name = QStringLiteral("account-%1").arg(id);
    out.priority = priority;
    out.state = state;
    out.upstream.kind = UpstreamConfig::Kind::Codex;
    out.upstream.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    out.upstream.token = "token-" + QByteArray::number(id);
    return out;
}

/// The ids the pool picks for @p count requests without a sticky key.
QList<qint64> picks(AccountPool &pool, int count, const QDateTime &now = T0)
{
    QList<qint64> out;
    for (int i = 0; i < count; ++i) {
        const AccountSelection selection = pool.select({}, {}, now);
        out.append(selection.account ? selection.account->id : 0);
    }
    return out;
}

qint64 pick(AccountPool &pool, const QString &key = {}, const QSet<qint64> &excluded = {}, const QDateTime &now = T0)
{
    const AccountSelection selection = pool.select(key, excluded, now);
    return selection.account ? selection.account->id : 0;
}

HttpHeaders usage(QByteArray primary, QByteArray secondary)
{
    HttpHeaders headers;
    if (!primary.isEmpty())
        headers.append("x-codex-primary-used-percent", primary);
    if (!secondary.isEmpty())
        headers.append("x-codex-secondary-used-percent", secondary);
    return headers;
}

} // namespace

class tst_AccountPool final : public QObject
{
    Q_OBJECT

private slots:
    void roundRobin_leastRecentlySelectedFirst();
    void fillFirst_lowestPriorityUntilIneligible();
    void usage_mostRemainingQuotaFirst_tieByPriority();
    void select_skipsPausedReauthAndUnconfigured();
    void select_nothingUsable_namesWhy_data();
    void select_nothingUsable_namesWhy();
    void select_excluded_notChosen_allTried();
    void reportRateLimited_withReset_outUntilReset();
    void reportRateLimited_withoutReset_exponentialBackoff();
    void reportRateLimited_allCooling_reasonAndEarliestRetry();
    void reportFailure_threeInARow_backoff_successResets();
    void reportFailure_onlyBackoffsLeft_soonestRecoveryChosen();
    void observeHeaders_keepsKnownValues_ignoresInvalid();
    void markNeedsReauth_skippedUntilTokenOrApply();
    void applyAccounts_keepsRuntimeOfRemainingAccounts();
    void applyAccounts_newToken_backoffAndReauthCleared_selectedAtOnce();
    void applyAccounts_sameToken_backoffKept();
    void markCredentialRefused_keptOnReapply_clearedByNewToken();
    void applyAccounts_newToken_rateLimitCooldownKept();
    void updateToken_backoffAndReauthCleared_selectedAtOnce();
    void takeStatusChanges_onlyChangedAccounts();
    void sticky_sameKey_sameAccount();
    void sticky_ineligibleAccount_replacedAndRemapped();
    void sticky_excludedForOneRequest_mappingKept();
    void sticky_expiresAfterTtl();
    void firstUsable_priorityOrderIgnoringCooldown();
};

void tst_AccountPool::roundRobin_leastRecentlySelectedFirst()
{
    AccountPool pool;
    pool.applyAccounts({account(1, 2), account(2, 0), account(3, 1)});
    // Never selected: priority order; then each in turn.
    QCOMPARE(picks(pool, 6), QList<qint64>({2, 3, 1, 2, 3, 1}));
}

void tst_AccountPool::fillFirst_lowestPriorityUntilIneligible()
{
    AccountPool pool;
    pool.setStrategy(RoutingStrategy::FillFirst);
    pool.applyAccounts({account(1, 1), account(2, 2), account(3, 0)});
    QCOMPARE(picks(pool, 3), QList<qint64>({3, 3, 3}));
    pool.reportRateLimited(3, T0.addSecs(60), T0);
    QCOMPARE(picks(pool, 2), QList<qint64>({1, 1}));
    QCOMPARE(pick(pool, {}, {1}), 2);
    QCOMPARE(picks(pool, 1, T0.addSecs(60)), QList<qint64>({3})); // back after the reset
}

void tst_AccountPool::usage_mostRemainingQuotaFirst_tieByPriority()
{
    AccountPool pool;
    pool.setStrategy(RoutingStrategy::Usage);
    pool.applyAccounts({account(1, 0), account(2, 1), account(3, 2)});
    pool.observeHeaders(1, usage("80", "10"), T0);
    pool.observeHeaders(2, usage("10", "50"), T0);
    // 3 is unknown (0 %): most remaining.
    QCOMPARE(picks(pool, 2), QList<qint64>({3, 3}));
    pool.observeHeaders(3, usage("90", {}), T0);
    QCOMPARE(pick(pool), 2); // max(10, 50) = 50 < 80 < 90
    pool.observeHeaders(1, usage("50", "20"), T0);
    QCOMPARE(pick(pool), 1); // 50 each: priority decides
}

void tst_AccountPool::select_skipsPausedReauthAndUnconfigured()
{
    AccountPool pool;
    UpstreamAccount noToken = account(3);
    noToken.upstream.token.clear();
    pool.applyAccounts({account(1, 0, AccountState::Paused), account(2, 0, AccountState::NeedsReauth), noToken,
                        account(4, 5)});
    QCOMPARE(picks(pool, 3), QList<qint64>({4, 4, 4}));
}

void tst_AccountPool::select_nothingUsable_namesWhy_data()
{
    QTest::addColumn<QList<UpstreamAccount>>("accounts");
    QTest::addColumn<QString>("message");
    UpstreamAccount noToken = account(3);
    noToken.upstream.token.clear();
    QTest::newRow("none") << QList<UpstreamAccount>() << QStringLiteral("No usable account: none is configured");
    QTest::newRow("paused") << QList<UpstreamAccount>({account(1, 0, AccountState::Paused), account(2, 0, AccountState::Paused)})
                            << QStringLiteral("No usable account: all accounts are paused");
    QTest::newRow("reauth") << QList<UpstreamAccount>({account(1, 0, AccountState::NeedsReauth)})
                            << QStringLiteral("No usable account: all accounts need re-authentication");
    QTest::newRow("mixed") << QList<UpstreamAccount>({account(1, 0, AccountState::Paused),
                                                      account(2, 0, AccountState::NeedsReauth), noToken})
                           << QStringLiteral("No usable account: 1 paused, 1 need re-authentication, 1 without credentials");
}

void tst_AccountPool::select_nothingUsable_namesWhy()
{
    QFETCH(QList<UpstreamAccount>, accounts);
    QFETCH(QString, message);
    AccountPool pool;
    pool.applyAccounts(accounts);
    const AccountSelection selection = pool.select({}, {}, T0);
    QVERIFY(!selection.account);
    QCOMPARE(selection.reason, accounts.isEmpty() ? NoAccountReason::NoneConfigured : NoAccountReason::NotUsable);
    QCOMPARE(selection.message, message);
    QCOMPARE(pool.firstUsable().message, message);
}

void tst_AccountPool::select_excluded_notChosen_allTried()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    QCOMPARE(pick(pool, {}, {1}), 2);
    const AccountSelection none = pool.select({}, {1, 2}, T0);
    QVERIFY(!none.account);
    QCOMPARE(none.reason, NoAccountReason::AllTried);
}

void tst_AccountPool::reportRateLimited_withReset_outUntilReset()
{
    AccountPool pool;
    pool.setStrategy(RoutingStrategy::FillFirst);
    pool.applyAccounts({account(1, 0), account(2, 1)});
    pool.reportRateLimited(1, T0.addSecs(120), T0);
    QCOMPARE(pool.status(1).cooldownUntil, T0.addSecs(120));
    QCOMPARE(pick(pool, {}, {}, T0.addSecs(119)), 2);
    QCOMPARE(pick(pool, {}, {}, T0.addSecs(120)), 1);
    QVERIFY(!pool.status(1).cooldownUntil.isValid());
}

void tst_AccountPool::reportRateLimited_withoutReset_exponentialBackoff()
{
    AccountPool pool;
    pool.applyAccounts({account(1)});
    QList<qint64> seconds;
    for (int i = 0; i < 6; ++i) {
        pool.reportRateLimited(1, {}, T0);
        seconds.append(T0.secsTo(pool.status(1).cooldownUntil));
    }
    QCOMPARE(seconds, QList<qint64>({30, 60, 120, 240, 300, 300}));
    pool.reportSuccess(1);
    pool.reportRateLimited(1, T0.addSecs(-5), T0); // a reset in the past is no hint
    QCOMPARE(T0.secsTo(pool.status(1).cooldownUntil), 30);
}

void tst_AccountPool::reportRateLimited_allCooling_reasonAndEarliestRetry()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2), account(3, 0, AccountState::Paused)});
    pool.reportRateLimited(1, T0.addSecs(600), T0);
    pool.reportRateLimited(2, T0.addSecs(90), T0);
    const AccountSelection none = pool.select({}, {}, T0);
    QVERIFY(!none.account);
    QCOMPARE(none.reason, NoAccountReason::CoolingDown);
    QCOMPARE(none.retryAt, T0.addSecs(90));
    QVERIFY2(none.message.contains(u"90 s"), qPrintable(none.message));
}

void tst_AccountPool::reportFailure_threeInARow_backoff_successResets()
{
    AccountPool pool;
    pool.setStrategy(RoutingStrategy::FillFirst);
    pool.applyAccounts({account(1, 0), account(2, 1)});
    pool.reportFailure(1, QStringLiteral("HTTP 502"), T0);
    pool.reportFailure(1, QStringLiteral("HTTP 502"), T0);
    QCOMPARE(pick(pool), 1);
    QCOMPARE(pool.status(1).consecutiveErrors, 2);
    pool.reportFailure(1, QStringLiteral("HTTP 503"), T0);
    QCOMPARE(pool.status(1).lastError, QStringLiteral("HTTP 503"));
    QCOMPARE(pool.status(1).backoffUntil, T0.addSecs(30));
    QVERIFY(!pool.status(1).cooldownUntil.isValid()); // a backoff is not a rate limit
    QCOMPARE(pick(pool), 2);
    pool.reportFailure(1, QStringLiteral("HTTP 503"), T0);
    QCOMPARE(pool.status(1).backoffUntil, T0.addSecs(60));
    pool.reportSuccess(1);
    QCOMPARE(pool.status(1).consecutiveErrors, 0);
    QVERIFY(!pool.status(1).backoffUntil.isValid());
    QCOMPARE(pick(pool), 1);
}

void tst_AccountPool::reportFailure_onlyBackoffsLeft_soonestRecoveryChosen()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    for (int i = 0; i < 4; ++i)
        pool.reportFailure(1, QStringLiteral("down"), T0); // 60 s
    for (int i = 0; i < 3; ++i)
        pool.reportFailure(2, QStringLiteral("down"), T0); // 30 s
    QCOMPARE(pick(pool), 2);
    // A rate-limited account is never used before its reset.
    pool.reportRateLimited(2, T0.addSecs(3600), T0);
    QCOMPARE(pick(pool), 1);
}

void tst_AccountPool::observeHeaders_keepsKnownValues_ignoresInvalid()
{
    AccountPool pool;
    pool.applyAccounts({account(1)});
    HttpHeaders headers = usage("12.4", "55");
    headers.append("x-codex-primary-reset-after-seconds", "300");
    headers.append("x-codex-secondary-reset-after-seconds", "86400");
    pool.observeHeaders(1, headers, T0);
    pool.observeHeaders(1, usage("garbage", {}), T0.addSecs(10));
    const AccountRuntimeStatus status = pool.status(1);
    QCOMPARE(status.primaryUsedPercent, 12);
    QCOMPARE(status.secondaryUsedPercent, 55);
    QCOMPARE(status.primaryResetAt, T0.addSecs(300));
    QCOMPARE(status.secondaryResetAt, T0.addSecs(86400));
    pool.observeHeaders(99, headers, T0); // unknown account: ignored
}

void tst_AccountPool::markNeedsReauth_skippedUntilTokenOrApply()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    pool.markNeedsReauth(1);
    QVERIFY(pool.status(1).needsReauth);
    QCOMPARE(picks(pool, 3), QList<qint64>({2, 2, 2}));
    pool.updateToken(1, "fresh");
    QCOMPARE(pool.account(1)->upstream.token, QByteArray("fresh"));
    QCOMPARE(pick(pool), 1);
    pool.markNeedsReauth(1);
    pool.applyAccounts({account(1), account(2)});
    QVERIFY(!pool.status(1).needsReauth);
    QCOMPARE(pick(pool, {}, {2}), 1);
}

void tst_AccountPool::applyAccounts_keepsRuntimeOfRemainingAccounts()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    pool.reportRateLimited(1, T0.addSecs(300), T0);
    pool.reportFailure(2, QStringLiteral("x"), T0);
    UpstreamAccount renamed = account(1);
    renamed.name = QStringLiteral("renamed");
    renamed.upstream.token = "rotated";
    pool.applyAccounts({renamed, account(3)});
    QCOMPARE(pool.status(1).cooldownUntil, T0.addSecs(300));
    QCOMPARE(pool.account(1)->upstream.token, QByteArray("rotated"));
    QVERIFY(!pool.account(2));
    QCOMPARE(pool.status(3).id, 3);
    QCOMPARE(pool.status(3).consecutiveErrors, 0);
    QCOMPARE(picks(pool, 2), QList<qint64>({3, 3}));
}

void tst_AccountPool::applyAccounts_newToken_backoffAndReauthCleared_selectedAtOnce()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    for (int i = 0; i < AccountPool::ErrorBackoffThreshold; ++i)
        pool.reportFailure(1, QStringLiteral("HTTP 401 from the upstream"), T0);
    pool.markNeedsReauth(1);
    QCOMPARE(picks(pool, 3), QList<qint64>({2, 2, 2}));
    pool.takeStatusChanges();

    UpstreamAccount fixed = account(1);
    fixed.upstream.token = "the-right-token";
    pool.applyAccounts({fixed, account(2)});
    const AccountRuntimeStatus status = pool.status(1);
    QCOMPARE(status.consecutiveErrors, 0);
    QVERIFY(!status.backoffUntil.isValid());
    QVERIFY(!status.needsReauth);
    QVERIFY(status.lastError.isEmpty());
    // Round robin: 1 was passed over while it backed off, so it is the least recently selected.
    QCOMPARE(picks(pool, 2), QList<qint64>({1, 2}));
    QCOMPARE(pool.account(1)->upstream.token, QByteArray("the-right-token"));
    // The consoles and the CLI learn it: the cleared status is reported.
    const QList<AccountRuntimeStatus> changes = pool.takeStatusChanges();
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().id, 1);
    QCOMPARE(changes.first().consecutiveErrors, 0);
}

void tst_AccountPool::applyAccounts_sameToken_backoffKept()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    for (int i = 0; i < AccountPool::ErrorBackoffThreshold; ++i)
        pool.reportFailure(1, QStringLiteral("HTTP 401 from the upstream"), T0);
    pool.takeStatusChanges();
    // Anything but the token changes (a rename, a new priority): the backoff stands.
    UpstreamAccount renamed = account(1, 4);
    renamed.name = QStringLiteral("renamed");
    pool.applyAccounts({renamed, account(2)});
    QCOMPARE(pool.status(1).consecutiveErrors, AccountPool::ErrorBackoffThreshold);
    QCOMPARE(pool.status(1).backoffUntil, T0.addSecs(30));
    QCOMPARE(picks(pool, 3), QList<qint64>({2, 2, 2}));
    QVERIFY(pool.takeStatusChanges().isEmpty());
    // An account whose token could not be read (empty) has no new credential either.
    UpstreamAccount unreadable = account(1);
    unreadable.upstream.token.clear();
    pool.applyAccounts({unreadable, account(2)});
    QCOMPARE(pool.status(1).backoffUntil, T0.addSecs(30));
}

void tst_AccountPool::markCredentialRefused_keptOnReapply_clearedByNewToken()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    pool.markCredentialRefused(1, QStringLiteral("HTTP 401 from the upstream"));
    QVERIFY(pool.status(1).needsReauth);
    QCOMPARE(pool.status(1).lastError, QStringLiteral("HTTP 401 from the upstream"));
    QCOMPARE(picks(pool, 3), QList<qint64>({2, 2, 2}));
    // The accounts are applied again (another account changed): the same token stays refused.
    pool.applyAccounts({account(1), account(2)});
    QVERIFY(pool.status(1).needsReauth);
    QCOMPARE(picks(pool, 2), QList<qint64>({2, 2}));
    // A new token (set-token) clears it; so does a refreshed one.
    UpstreamAccount fixed = account(1);
    fixed.upstream.token = "another-token";
    pool.applyAccounts({fixed, account(2)});
    QVERIFY(!pool.status(1).needsReauth);
    QVERIFY(picks(pool, 2).contains(1));
    pool.markCredentialRefused(1, QStringLiteral("HTTP 401 from the upstream"));
    pool.updateToken(1, "refreshed");
    QVERIFY(!pool.status(1).needsReauth);
}

void tst_AccountPool::applyAccounts_newToken_rateLimitCooldownKept()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    pool.reportRateLimited(1, T0.addSecs(600), T0);
    for (int i = 0; i < AccountPool::ErrorBackoffThreshold; ++i)
        pool.reportFailure(1, QStringLiteral("HTTP 502"), T0);
    UpstreamAccount fixed = account(1);
    fixed.upstream.token = "another-token";
    pool.applyAccounts({fixed, account(2)});
    QCOMPARE(pool.status(1).consecutiveErrors, 0);
    QVERIFY(!pool.status(1).backoffUntil.isValid());
    QCOMPARE(pool.status(1).cooldownUntil, T0.addSecs(600)); // quota is the account's, not the token's
    QCOMPARE(pool.status(1).lastError, QStringLiteral("rate limited (HTTP 429)"));
    QCOMPARE(picks(pool, 2), QList<qint64>({2, 2}));
    QCOMPARE(pick(pool, {}, {}, T0.addSecs(600)), 1);
}

void tst_AccountPool::updateToken_backoffAndReauthCleared_selectedAtOnce()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    for (int i = 0; i < AccountPool::ErrorBackoffThreshold + 1; ++i)
        pool.reportFailure(1, QStringLiteral("HTTP 401 from the upstream"), T0);
    pool.markNeedsReauth(1);
    QCOMPARE(picks(pool, 2), QList<qint64>({2, 2}));
    pool.updateToken(1, "refreshed");
    QCOMPARE(pool.status(1).consecutiveErrors, 0);
    QVERIFY(!pool.status(1).backoffUntil.isValid());
    QVERIFY(!pool.status(1).needsReauth);
    QCOMPARE(pick(pool), 1);
    // A rate limit outlives a refresh too.
    pool.reportRateLimited(1, T0.addSecs(60), T0);
    pool.updateToken(1, "refreshed-again");
    QCOMPARE(pool.status(1).cooldownUntil, T0.addSecs(60));
    QCOMPARE(pick(pool), 2);
}

void tst_AccountPool::takeStatusChanges_onlyChangedAccounts()
{
    AccountPool pool;
    int notified = 0;
    pool.setChangeNotifier([&notified] { ++notified; });
    pool.applyAccounts({account(1), account(2)});
    QVERIFY(pool.takeStatusChanges().isEmpty());
    pool.reportFailure(2, QStringLiteral("HTTP 500"), T0);
    QVERIFY(notified > 0);
    const QList<AccountRuntimeStatus> changes = pool.takeStatusChanges();
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().id, 2);
    QCOMPARE(changes.first().consecutiveErrors, 1);
    QVERIFY(pool.takeStatusChanges().isEmpty());
    pool.observeHeaders(1, usage("10", {}), T0);
    QCOMPARE(pool.takeStatusChanges().size(), 1);
    pool.observeHeaders(1, usage("10", {}), T0); // same values: no change
    pool.reportSuccess(1);                       // nothing to reset: no change
    QVERIFY(pool.takeStatusChanges().isEmpty());
}

void tst_AccountPool::sticky_sameKey_sameAccount()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2), account(3)});
    const qint64 first = pick(pool, QStringLiteral("cache:a"));
    const qint64 other = pick(pool, QStringLiteral("cache:b"));
    QVERIFY(first != other);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(pick(pool, QStringLiteral("cache:a")), first);
        QCOMPARE(pick(pool, QStringLiteral("cache:b")), other);
    }
}

void tst_AccountPool::sticky_ineligibleAccount_replacedAndRemapped()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    QCOMPARE(pick(pool, QStringLiteral("k")), 1);
    pool.reportRateLimited(1, T0.addSecs(60), T0);
    QCOMPARE(pick(pool, QStringLiteral("k")), 2);
    // The mapping moved: account 1 being back does not move the conversation again.
    QCOMPARE(pick(pool, QStringLiteral("k"), {}, T0.addSecs(61)), 2);
    // A paused account is replaced too.
    UpstreamAccount paused = account(2);
    paused.state = AccountState::Paused;
    pool.applyAccounts({account(1), paused});
    QCOMPARE(pick(pool, QStringLiteral("k"), {}, T0.addSecs(62)), 1);
}

void tst_AccountPool::sticky_excludedForOneRequest_mappingKept()
{
    AccountPool pool;
    pool.applyAccounts({account(1), account(2)});
    QCOMPARE(pick(pool, QStringLiteral("k")), 1);
    QCOMPARE(pick(pool, QStringLiteral("k"), {1}), 2); // failover of one request
    QCOMPARE(pick(pool, QStringLiteral("k")), 1);
}

void tst_AccountPool::sticky_expiresAfterTtl()
{
    AccountPool pool;
    pool.setStickyTtlSeconds(60);
    pool.applyAccounts({account(1), account(2)});
    QCOMPARE(pick(pool, QStringLiteral("k")), 1);
    QCOMPARE(picks(pool, 2, T0.addSecs(59)), QList<qint64>({2, 1})); // now 2 is the least recently used
    QCOMPARE(pick(pool, QStringLiteral("k"), {}, T0.addSecs(59)), 1);  // sticky beats round robin
    QCOMPARE(pick(pool, QStringLiteral("k"), {}, T0.addSecs(118)), 1); // 59 s after its last use
    QCOMPARE(pick(pool, QStringLiteral("k"), {}, T0.addSecs(178)), 2); // 60 s: expired, round robin
}

void tst_AccountPool::firstUsable_priorityOrderIgnoringCooldown()
{
    AccountPool pool;
    pool.applyAccounts({account(1, 3), account(2, 1, AccountState::Paused), account(3, 2)});
    pool.reportRateLimited(3, T0.addSecs(600), T0);
    QCOMPARE(pool.firstUsable().account->id, 3);
    pool.markNeedsReauth(3);
    QCOMPARE(pool.firstUsable().account->id, 1);
}

QTEST_GUILESS_MAIN(tst_AccountPool)
#include "tst_accountpool.moc"
