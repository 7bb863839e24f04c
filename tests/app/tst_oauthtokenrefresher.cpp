// SPDX-License-Identifier: MIT
#include "tests/support/FakeOAuthServer.h"

#include "app/core/accounts/oauth/TokenRefresher.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Core;

namespace {

OAuthEndpoints endpointsFor(const FakeOAuthServer &fake)
{
    OAuthEndpoints endpoints;
    endpoints.authBaseUrl = fake.baseUrl();
    return endpoints;
}

/// The secret store stand-in: what the persist callback was given, and when.
struct Saved final
{
    QHash<qint64, AccountTokens> tokens;
    int calls = 0;
    int refreshedSignalsAtLastCall = -1;
    bool accept = true;
};

} // namespace

class tst_OAuthTokenRefresher final : public QObject
{
    Q_OBJECT

private slots:
    void refresh_rotatingToken_persistsBeforeRefreshed()
    {
        FakeOAuthServer fake;
        Saved saved;
        QSignalSpy *refreshedSpy = nullptr;
        TokenRefresher refresher(endpointsFor(fake), [&](qint64 accountId, const AccountTokens &tokens) {
            ++saved.calls;
            saved.tokens.insert(accountId, tokens);
            saved.refreshedSignalsAtLastCall = int(refreshedSpy->size());
            return saved.accept;
        });
        QSignalSpy refreshed(&refresher, &TokenRefresher::refreshed);
        QSignalSpy failed(&refresher, &TokenRefresher::refreshFailed);
        refreshedSpy = &refreshed;
        const QString old = fake.issueRefreshToken();

        refresher.refresh(7, old);
        QVERIFY(refresher.isRefreshing(7));
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(refreshed.constFirst().at(0).toLongLong(), 7);
        const auto tokens = refreshed.constFirst().at(1).value<AccountTokens>();
        QVERIFY(tokens.refreshToken != old);
        QCOMPARE(tokens.refreshToken, fake.latestRefreshToken());
        QCOMPARE(saved.calls, 1);
        QCOMPARE(saved.refreshedSignalsAtLastCall, 0); // persisted before anyone was told
        QCOMPARE(saved.tokens.value(7).refreshToken, tokens.refreshToken);
        QVERIFY(!refresher.isRefreshing(7));
    }

    void refresh_concurrentCallsForOneAccount_oneRequestSameOutcome()
    {
        FakeOAuthServer fake;
        fake.setTokenDelayMs(200); // keep the first refresh in flight while the second arrives
        Saved saved;
        TokenRefresher refresher(endpointsFor(fake), [&](qint64 accountId, const AccountTokens &tokens) {
            ++saved.calls;
            saved.tokens.insert(accountId, tokens);
            return true;
        });
        QSignalSpy refreshed(&refresher, &TokenRefresher::refreshed);
        QSignalSpy failed(&refresher, &TokenRefresher::refreshFailed);
        const QString token = fake.issueRefreshToken();
        QList<RefreshOutcome> outcomes;
        refresher.refresh(1, token, [&](const RefreshOutcome &o) { outcomes.append(o); });
        QTRY_COMPARE(fake.refreshRequestCount(), 1); // on the wire
        refresher.refresh(1, token, [&](const RefreshOutcome &o) { outcomes.append(o); });
        QCOMPARE(refresher.runningCount(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(outcomes.size(), 2, 10000);
        QCOMPARE(fake.refreshRequestCount(), 1);
        QCOMPARE(refreshed.size(), 1);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(saved.calls, 1);
        QVERIFY(outcomes.at(0).ok && outcomes.at(1).ok);
        QCOMPARE(outcomes.at(0).tokens.refreshToken, outcomes.at(1).tokens.refreshToken);
        QCOMPARE(outcomes.at(0).tokens.refreshToken, fake.latestRefreshToken());

        // The account is not lost: the rotated (persisted) token refreshes again.
        refresher.refresh(1, saved.tokens.value(1).refreshToken);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(fake.refreshRequestCount(), 2);
        QCOMPARE(saved.tokens.value(1).refreshToken, fake.latestRefreshToken());
    }

    void refresh_twoAccounts_runSideBySide()
    {
        FakeOAuthServer fake;
        fake.setTokenDelayMs(100);
        TokenRefresher refresher(endpointsFor(fake), [](qint64, const AccountTokens &) { return true; });
        QSignalSpy refreshed(&refresher, &TokenRefresher::refreshed);
        refresher.refresh(1, fake.issueRefreshToken());
        refresher.refresh(2, fake.issueRefreshToken());
        QCOMPARE(refresher.runningCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 10000);
        QCOMPARE(fake.refreshRequestCount(), 2);
    }

    void refresh_spentToken_permanentFailureNothingPersisted()
    {
        FakeOAuthServer fake;
        int persisted = 0;
        TokenRefresher refresher(endpointsFor(fake), [&](qint64, const AccountTokens &) {
            ++persisted;
            return true;
        });
        QSignalSpy refreshed(&refresher, &TokenRefresher::refreshed);
        QSignalSpy failed(&refresher, &TokenRefresher::refreshFailed);
        const QString token = fake.issueRefreshToken();
        refresher.refresh(3, token);
        QVERIFY(refreshed.wait(10000));
        std::optional<RefreshOutcome> outcome;
        refresher.refresh(3, token, [&](const RefreshOutcome &o) { outcome = o; }); // reused
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.constFirst().at(0).toLongLong(), 3);
        const QString message = failed.constFirst().at(1).toString();
        QVERIFY2(message.contains(u"refresh_token_reused") && message.contains(u"log in again"),
                 qPrintable(message));
        QVERIFY(!message.contains(token));
        QCOMPARE(failed.constFirst().at(2).toBool(), true);
        QVERIFY(outcome && !outcome->ok && outcome->permanent);
        QCOMPARE(persisted, 1);
    }

    void refresh_serverError_transientFailure()
    {
        FakeOAuthServer fake;
        fake.setFailure(FakeOAuthServer::Endpoint::Token, FakeOAuthServer::Failure::ServerError);
        TokenRefresher refresher(endpointsFor(fake), [](qint64, const AccountTokens &) { return true; });
        QSignalSpy failed(&refresher, &TokenRefresher::refreshFailed);
        const QString token = fake.issueRefreshToken();
        refresher.refresh(4, token);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.constFirst().at(2).toBool(), false);
        QVERIFY(fake.isRefreshTokenValid(token)); // retrying later can work
    }

    void refresh_persistFails_notPublishedAndNotPermanent()
    {
        FakeOAuthServer fake;
        TokenRefresher refresher(endpointsFor(fake), [](qint64, const AccountTokens &) { return false; });
        QSignalSpy refreshed(&refresher, &TokenRefresher::refreshed);
        QSignalSpy failed(&refresher, &TokenRefresher::refreshFailed);
        std::optional<RefreshOutcome> outcome;
        refresher.refresh(5, fake.issueRefreshToken(), [&](const RefreshOutcome &o) { outcome = o; });
        QVERIFY(failed.wait(10000));
        QCOMPARE(refreshed.size(), 0);
        QVERIFY(failed.constFirst().at(1).toString().contains(u"could not be saved"));
        QCOMPARE(failed.constFirst().at(2).toBool(), false);
        QVERIFY(outcome && !outcome->ok);
        QVERIFY(outcome->tokens.accessToken.isEmpty()); // the new tokens are not handed out
    }

    void refresh_answerWithoutRefreshToken_failsAndPersistsNothing()
    {
        FakeOAuthServer fake;
        fake.setOmitRefreshTokenOnRefresh(true);
        int persisted = 0;
        TokenRefresher refresher(endpointsFor(fake), [&](qint64, const AccountTokens &) {
            ++persisted;
            return true;
        });
        QSignalSpy failed(&refresher, &TokenRefresher::refreshFailed);
        refresher.refresh(6, fake.issueRefreshToken());
        QVERIFY(failed.wait(10000));
        QCOMPARE(persisted, 0);
        QVERIFY(failed.constFirst().at(1).toString().contains(u"no new refresh token"));
    }

    void refresh_againFromRefreshedSlot_startsANewRequest()
    {
        FakeOAuthServer fake;
        QString latest;
        TokenRefresher refresher(endpointsFor(fake), [&](qint64, const AccountTokens &tokens) {
            latest = tokens.refreshToken;
            return true;
        });
        QSignalSpy refreshed(&refresher, &TokenRefresher::refreshed);
        bool again = true;
        connect(&refresher, &TokenRefresher::refreshed, this, [&](qint64 accountId, const AccountTokens &) {
            if (std::exchange(again, false))
                refresher.refresh(accountId, latest);
        });
        refresher.refresh(8, fake.issueRefreshToken());
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 10000);
        QCOMPARE(fake.refreshRequestCount(), 2);
        QCOMPARE(latest, fake.latestRefreshToken());
    }
};

QTEST_GUILESS_MAIN(tst_OAuthTokenRefresher)
#include "tst_oauthtokenrefresher.moc"
