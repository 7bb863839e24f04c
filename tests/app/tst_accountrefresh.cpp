// SPDX-License-Identifier: MIT
// End to end on the main-thread side of refresh: the real runtime (store + proxy threads), a fake
// auth server with rotating refresh tokens and a fake upstream that refuses the old access token.
#include "app/core/runtime/AccountRefresher.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/AccountService.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/SettingsRepository.h"
#include "tests/support/FakeOAuthServer.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Core;
using Proxy::FakeUpstream;

class tst_AccountRefresh final : public QObject
{
    Q_OBJECT

private:
    struct Setup
    {
        QTemporaryDir dir;
        FakeOAuthServer oauth;
        FakeUpstream upstream;
        std::unique_ptr<ProxyRuntime> runtime;
        QByteArray key;
        qint64 accountId = 0;
        QString firstRefreshToken;
        quint16 port = 0;
        std::unique_ptr<QSignalSpy> statuses; // from before the start: the first usage poll is immediate
    };

    bool start(Setup &setup)
    {
        qputenv("KEYGATE_OAUTH_BASE_URL", setup.oauth.baseUrl().toString().toUtf8());
        setup.runtime = std::make_unique<ProxyRuntime>(setup.dir.path(), QStringLiteral("file"));
        if (!setup.runtime->open().ok())
            return false;
        SettingsRepository(setup.runtime->database().connection()).setListen(QStringLiteral("127.0.0.1:0"));
        setup.key = KeyService(setup.runtime->database(), setup.runtime->secrets())
                        .create(QStringLiteral("pi"))
                        .value()
                        .plaintext.toLatin1();
        AccountTokens tokens;
        tokens.accessToken = QStringLiteral("at-old");
        setup.firstRefreshToken = setup.oauth.issueRefreshToken();
        tokens.refreshToken = setup.firstRefreshToken;
        tokens.idToken = FakeOAuthServer::makeJwt(
            {{QStringLiteral("email"), QStringLiteral("user@example.com")},
             {QStringLiteral("https://api.openai.com/auth"),
              QJsonObject{{QStringLiteral("chatgpt_account_id"), QStringLiteral("acct-fake-1")}}}});
        AccountService accounts(setup.runtime->database(), setup.runtime->secrets());
        const auto saved = accounts.saveChatGptLogin(tokens);
        if (!saved)
            return false;
        AccountRecord record = saved.value();
        record.baseUrl = setup.upstream.baseUrl();
        AccountRepository(setup.runtime->database().connection()).update(record);
        setup.accountId = record.id;
        setup.upstream.setHandler([&setup](const FakeUpstream::Request &request) {
            if (request.path == "/wham/usage")
                return FakeUpstream::Reply::json(
                    {{QStringLiteral("rate_limit"),
                      QJsonObject{{QStringLiteral("primary_window"),
                                   QJsonObject{{QStringLiteral("used_percent"), 33},
                                               {QStringLiteral("reset_after_seconds"), 600}}}}}});
            if (request.headers.value("authorization") == "Bearer at-old")
                return FakeUpstream::Reply::json({{QStringLiteral("detail"), QStringLiteral("token expired")}}, 401);
            return FakeUpstream::Reply::sse(FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("hi")},
                                                                          {5, 0, 2, 0, 7}));
        });
        setup.statuses = std::make_unique<QSignalSpy>(setup.runtime.get(), &ProxyRuntime::accountStatusChanged);
        QSignalSpy listening(setup.runtime.get(), &ProxyRuntime::listening);
        setup.runtime->restartProxy(0);
        if (!listening.wait(5000))
            return false;
        setup.port = quint16(setup.runtime->stateDetail().section(u':', -1).toUInt());
        return true;
    }

    static QPair<int, QByteArray> post(const Setup &setup)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/backend-api/codex/responses").arg(setup.port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("x-api-key", setup.key);
        QNetworkReply *reply = network.post(request, QByteArrayLiteral("{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[]}"));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
            reply->abort();
        const QPair<int, QByteArray> result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                                            reply->readAll()};
        delete reply;
        return result;
    }

private slots:
    void unauthorized_refreshesPersistsRotationAndRetries()
    {
        Setup setup;
        QVERIFY(start(setup));
        const auto [status, body] = post(setup);
        QCOMPARE(status, 200);
        QVERIFY(body.contains("response.completed"));
        QCOMPARE(setup.oauth.refreshRequestCount(), 1);
        QList<FakeUpstream::Request> relayed; // the usage poll asks the upstream too
        for (const FakeUpstream::Request &request : setup.upstream.requests())
            if (request.path != "/wham/usage")
                relayed.append(request);
        QCOMPARE(relayed.size(), 2); // the 401, then the retry with the new token
        QCOMPARE(relayed.at(1).headers.value("authorization"), "Bearer " + setup.oauth.latestAccessToken().toUtf8());
        const auto record = AccountService(setup.runtime->database(), setup.runtime->secrets())
                                .find(QString::number(setup.accountId))
                                .value();
        const QByteArray storedRefresh = setup.runtime->secrets().read(record.refreshSecretName()).value;
        QCOMPARE(QString::fromUtf8(storedRefresh), setup.oauth.latestRefreshToken()); // the rotated one
        QVERIFY(storedRefresh != setup.firstRefreshToken.toUtf8());
        QVERIFY(!setup.oauth.isRefreshTokenValid(setup.firstRefreshToken));
        QVERIFY(record.lastRefreshAt.isValid());
        // The request log names the account that served the request, and its cost.
        setup.runtime->store().flush();
        QTRY_VERIFY_WITH_TIMEOUT(([&setup] {
                                     QSqlQuery query(setup.runtime->database().connection());
                                     // 5 input × 2.5 + 2 output × 15 = 42.5 → 43 micro-dollars (built-in gpt-5.4 price)
                                     return query.exec(QStringLiteral("SELECT account_id, cost_micros FROM request_log"))
                                            && query.next() && query.value(0).toLongLong() == setup.accountId
                                            && query.value(1).toLongLong() == 43;
                                 }()),
                                 5000);
    }

    void usageEndpoint_quotaReachesThePool()
    {
        Setup setup;
        QVERIFY(start(setup));
        const auto quotaKnown = [&setup] {
            for (const QList<QVariant> &emission : std::as_const(*setup.statuses))
                for (const Proxy::AccountRuntimeStatus &status : emission.at(0).value<QList<Proxy::AccountRuntimeStatus>>())
                    if (status.id == setup.accountId && status.primaryUsedPercent == 33 && status.primaryResetAt.isValid())
                        return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(quotaKnown(), 5000);
    }

    void expiringToken_refreshedAheadOfTime()
    {
        Setup setup;
        QVERIFY(start(setup));
        AccountService accounts(setup.runtime->database(), setup.runtime->secrets());
        AccountRecord record = accounts.find(QString::number(setup.accountId)).value();
        record.accessExpiresAt = QDateTime::currentDateTimeUtc().addSecs(120); // within the 5-minute margin
        QVERIFY(AccountRepository(setup.runtime->database().connection()).update(record).ok());
        AccountRefresher refresher(setup.runtime->database(), setup.runtime->secrets(), setup.runtime->oauthEndpoints());
        QSignalSpy refreshed(&refresher, &AccountRefresher::tokenRefreshed);
        refresher.refreshExpiring(300);
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(refreshed.first().at(0).toLongLong(), setup.accountId);
        QCOMPARE(refreshed.first().at(1).toByteArray(), setup.oauth.latestAccessToken().toUtf8());
        QCOMPARE(QString::fromUtf8(setup.runtime->secrets().read(record.accessSecretName()).value),
                 setup.oauth.latestAccessToken());
        refresher.refreshExpiring(300); // the new token's expiry is far away (or unknown): nothing to do
        QVERIFY(!refresher.isRefreshing(setup.accountId));
        QCOMPARE(setup.oauth.refreshRequestCount(), 1);
    }

    void permanentRefreshFailure_marksNeedsReauth()
    {
        Setup setup;
        QVERIFY(start(setup));
        setup.oauth.setFailure(FakeOAuthServer::Endpoint::Token, FakeOAuthServer::Failure::InvalidGrant);
        QSignalSpy configChanged(setup.runtime.get(), &ProxyRuntime::configChanged);
        const auto [status, body] = post(setup);
        QCOMPARE(status, 502); // the account's credential is dead: upstream_auth_failed, not the client's 401
        QVERIFY2(body.contains("upstream_auth_failed"), body.constData());
        QTRY_VERIFY(!configChanged.isEmpty());
        const auto record = AccountService(setup.runtime->database(), setup.runtime->secrets())
                                .find(QString::number(setup.accountId))
                                .value();
        QVERIFY(record.state == Proxy::AccountState::NeedsReauth);
        QVERIFY2(!record.stateReason.isEmpty(), "the reason is shown to the user");
        QCOMPARE(post(setup).first, 503); // skipped now: no usable account
    }
};

QTEST_GUILESS_MAIN(tst_AccountRefresh)
#include "tst_accountrefresh.moc"
