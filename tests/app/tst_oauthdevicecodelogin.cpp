// SPDX-License-Identifier: MIT
#include "tests/support/FakeOAuthServer.h"

#include "app/core/accounts/oauth/DeviceCodeLogin.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

using namespace Core;
using Endpoint = FakeOAuthServer::Endpoint;
using Failure = FakeOAuthServer::Failure;

namespace {

OAuthEndpoints endpointsFor(const FakeOAuthServer &fake)
{
    OAuthEndpoints endpoints;
    endpoints.authBaseUrl = fake.baseUrl();
    return endpoints;
}

} // namespace

class tst_OAuthDeviceCodeLogin final : public QObject
{
    Q_OBJECT

private slots:
    void start_pendingThenCode_showsUserCodeAndExchanges()
    {
        FakeOAuthServer fake;
        fake.setDevicePendingPolls(2);
        fake.setDeviceTiming(0.2, 60);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy userCode(&login, &DeviceCodeLogin::userCodeReady);
        QSignalSpy succeeded(&login, &DeviceCodeLogin::succeeded);
        QSignalSpy failed(&login, &DeviceCodeLogin::failed);
        login.start();
        QVERIFY(userCode.wait(10000));
        QCOMPARE(userCode.constFirst().at(0).toString(), fake.deviceUserCode());
        QCOMPARE(userCode.constFirst().at(1).toUrl(),
                 fake.baseUrl().resolved(QUrl(QStringLiteral("/codex/device"))));
        QCOMPARE(login.pollIntervalMs(), 200); // "0.2" (a string, as the server sends it)
        const QJsonObject usercodeBody =
            QJsonDocument::fromJson(fake.http().requests().constFirst().body).object();
        QCOMPARE(usercodeBody.value(u"client_id").toString(), QStringLiteral("app_EMoamEEZ73f0CkXaXp7hrann"));

        QVERIFY(succeeded.wait(10000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(fake.devicePollCount(), 3);   // two pending answers, then the code
        QCOMPARE(fake.codeExchangeCount(), 1); // redirect_uri {auth}/deviceauth/callback + verifier checked
        const auto tokens = succeeded.constFirst().constFirst().value<AccountTokens>();
        QCOMPARE(tokens.refreshToken, fake.latestRefreshToken());
        QCOMPARE(tokens.email, QStringLiteral("user@example.com"));
        QCOMPARE(tokens.chatgptAccountId, QStringLiteral("acct-fake-1"));
        QVERIFY(!login.isRunning());
    }

    void start_serverAnswersTokens_succeedsWithoutExchange()
    {
        FakeOAuthServer fake;
        fake.setDeviceReturnsAuthorizationCode(false);
        fake.setDeviceTiming(0, 60);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy succeeded(&login, &DeviceCodeLogin::succeeded);
        login.start();
        QVERIFY(succeeded.wait(10000));
        QCOMPARE(login.pollIntervalMs(), DeviceCodeLogin::MinimumIntervalMs); // "0" → the floor
        QCOMPARE(fake.codeExchangeCount(), 0);
        QCOMPARE(succeeded.constFirst().constFirst().value<AccountTokens>().accessToken,
                 fake.latestAccessToken());
    }

    void start_neverApproved_expires()
    {
        FakeOAuthServer fake;
        fake.setDevicePendingPolls(-1);
        fake.setDeviceTiming(0, 1);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &DeviceCodeLogin::failed);
        QSignalSpy succeeded(&login, &DeviceCodeLogin::succeeded);
        login.start();
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.constFirst().constFirst().toString().startsWith(u"the device code expired"),
                 qPrintable(failed.constFirst().constFirst().toString()));
        QVERIFY(fake.devicePollCount() >= 2);
        QCOMPARE(succeeded.size(), 0);
        QVERIFY(!login.isRunning());
        const int polls = fake.devicePollCount();
        QTest::qWait(600); // polling has stopped
        QCOMPARE(fake.devicePollCount(), polls);
    }

    void start_usercode404_deviceLoginUnavailable()
    {
        FakeOAuthServer fake;
        fake.setFailure(Endpoint::DeviceUserCode, Failure::NotFound);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &DeviceCodeLogin::failed);
        QSignalSpy userCode(&login, &DeviceCodeLogin::userCodeReady);
        login.start();
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.constFirst().constFirst().toString().contains(u"device login is not available"));
        QCOMPARE(userCode.size(), 0);
        QCOMPARE(fake.devicePollCount(), 0);
    }

    void poll_serverErrors_keepsPollingUntilApproved()
    {
        FakeOAuthServer fake;
        fake.setDeviceTiming(0, 60);
        fake.setFailure(Endpoint::DeviceToken, Failure::ServerError);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy succeeded(&login, &DeviceCodeLogin::succeeded);
        QSignalSpy failed(&login, &DeviceCodeLogin::failed);
        login.start();
        QTRY_VERIFY_WITH_TIMEOUT(fake.devicePollCount() >= 2, 10000);
        QVERIFY(login.isRunning());
        fake.setFailure(Endpoint::DeviceToken, Failure::None);
        QVERIFY(succeeded.wait(10000));
        QCOMPARE(failed.size(), 0);
    }

    void poll_refusedOtherwise_fails()
    {
        FakeOAuthServer fake;
        fake.setDeviceTiming(0, 60);
        fake.setFailure(Endpoint::DeviceToken, Failure::InvalidGrant);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &DeviceCodeLogin::failed);
        login.start();
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.constFirst().constFirst().toString().contains(u"invalid_grant"));
        QCOMPARE(fake.devicePollCount(), 1);
    }

    void cancel_whilePolling_stopsSilently()
    {
        FakeOAuthServer fake;
        fake.setDevicePendingPolls(-1);
        fake.setDeviceTiming(0, 60);
        DeviceCodeLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &DeviceCodeLogin::failed);
        login.start();
        QTRY_VERIFY_WITH_TIMEOUT(fake.devicePollCount() >= 1, 10000);
        login.cancel();
        const int polls = fake.devicePollCount();
        QTest::qWait(600);
        QVERIFY(fake.devicePollCount() <= polls + 1); // at most the one already on the wire
        QCOMPARE(failed.size(), 0);
        QVERIFY(!login.isRunning());
    }
};

QTEST_GUILESS_MAIN(tst_OAuthDeviceCodeLogin)
#include "tst_oauthdevicecodelogin.moc"
