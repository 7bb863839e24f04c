// SPDX-License-Identifier: MIT
#include "tests/support/FakeOAuthServer.h"

#include "app/core/accounts/oauth/CallbackUrl.h"
#include "app/core/accounts/oauth/Pkce.h"
#include "app/core/accounts/oauth/TokenClient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QUrlQuery>
#include <QtTest>

using namespace Core;

namespace {

OAuthEndpoints endpointsFor(const FakeOAuthServer &fake)
{
    OAuthEndpoints endpoints;
    endpoints.authBaseUrl = fake.baseUrl();
    return endpoints;
}

/// Waits for the callback of one TokenClient request.
template <typename Start> TokenResult run(Start start)
{
    std::optional<TokenResult> result;
    start([&result](const TokenResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return TokenResult::failure(OAuthError::malformed(QStringLiteral("test: no callback")));
    return *result;
}

/// Plays the browser up to the redirect: the code the fake hands out for @p challenge.
QString authorizeCode(const FakeOAuthServer &fake, const QByteArray &challenge, const QUrl &redirect)
{
    OAuthEndpoints endpoints = endpointsFor(fake);
    endpoints.redirectUri = redirect;
    QNetworkAccessManager network;
    QNetworkRequest request(Pkce::authorizeUrl(endpoints, challenge, QStringLiteral("st")));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = network.get(request);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
        return {};
    const QString location = QString::fromLatin1(reply->rawHeader("Location"));
    reply->deleteLater();
    const auto params = CallbackUrl::parse(location);
    return params ? params.value().code : QString();
}

} // namespace

class tst_OAuthTokenClient final : public QObject
{
    Q_OBJECT

private slots:
    void exchangeCode_matchingVerifier_returnsTokensWithClaims()
    {
        FakeOAuthServer fake;
        TokenClient client(endpointsFor(fake));
        const QByteArray verifier = Pkce::generateVerifier();
        const QUrl redirect(QStringLiteral("http://localhost:1455/auth/callback"));
        const QString code = authorizeCode(fake, Pkce::challengeFor(verifier), redirect);
        QVERIFY(!code.isEmpty());
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const TokenResult result =
            run([&](auto done) { client.exchangeCode(code, verifier, redirect, done); });
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result.tokens.accessToken, fake.latestAccessToken());
        QCOMPARE(result.tokens.refreshToken, fake.latestRefreshToken());
        QVERIFY(!result.tokens.idToken.isEmpty());
        QCOMPARE(result.tokens.email, QStringLiteral("user@example.com"));
        QCOMPARE(result.tokens.chatgptAccountId, QStringLiteral("acct-fake-1"));
        QCOMPARE(result.tokens.planType, QStringLiteral("plus"));
        QCOMPARE(result.tokens.chatgptUserId, QStringLiteral("user-fake-1"));
        QVERIFY(result.tokens.accessExpiresAt >= before.addSecs(3600));
        QVERIFY(result.tokens.accessExpiresAt <= QDateTime::currentDateTimeUtc().addSecs(3600));

        // Form-encoded, with every field of §5.3.
        const auto request = fake.http().lastRequest();
        QCOMPARE(request.headers.value("content-type"), QByteArray("application/x-www-form-urlencoded"));
        const QUrlQuery form(QString::fromLatin1(request.body));
        QCOMPARE(form.queryItemValue(QStringLiteral("grant_type")), QStringLiteral("authorization_code"));
        QCOMPARE(form.queryItemValue(QStringLiteral("client_id")),
                 QStringLiteral("app_EMoamEEZ73f0CkXaXp7hrann"));
        QCOMPARE(form.queryItemValue(QStringLiteral("code_verifier")), QString::fromLatin1(verifier));
        QCOMPARE(form.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                 redirect.toString());
    }

    void exchangeCode_wrongVerifier_refusedAsInvalidGrant()
    {
        FakeOAuthServer fake;
        TokenClient client(endpointsFor(fake));
        const QUrl redirect(QStringLiteral("http://localhost:1455/auth/callback"));
        const QString code = authorizeCode(fake, Pkce::challengeFor(Pkce::generateVerifier()), redirect);
        const TokenResult result =
            run([&](auto done) { client.exchangeCode(code, Pkce::generateVerifier(), redirect, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error->code, QStringLiteral("invalid_grant"));
        QCOMPARE(result.error->httpStatus, 400);
        QVERIFY(!result.error->message.contains(code));
    }

    void refresh_validToken_rotatesAndSendsTheReferenceBody()
    {
        FakeOAuthServer fake;
        fake.setExpiresInSeconds(0); // expiry from the access token's exp
        TokenClient client(endpointsFor(fake));
        const QString old = fake.issueRefreshToken();
        const TokenResult result = run([&](auto done) { client.refresh(old, done); });
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY(result.tokens.refreshToken != old);
        QCOMPARE(result.tokens.refreshToken, fake.latestRefreshToken());
        QVERIFY(!fake.isRefreshTokenValid(old));
        QCOMPARE(result.tokens.email, QStringLiteral("user@example.com"));
        QVERIFY(result.tokens.accessExpiresAt.isValid());
        QVERIFY(result.tokens.accessExpiresAt > QDateTime::currentDateTimeUtc().addSecs(3000));

        const auto request = fake.http().lastRequest();
        QCOMPARE(request.headers.value("content-type"), QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(body.value(u"grant_type").toString(), QStringLiteral("refresh_token"));
        QCOMPARE(body.value(u"client_id").toString(), QStringLiteral("app_EMoamEEZ73f0CkXaXp7hrann"));
        QCOMPARE(body.value(u"refresh_token").toString(), old);
        QCOMPARE(body.value(u"scope").toString(), QStringLiteral("openid profile email"));
        QCOMPARE(body.size(), 4);
    }

    void refresh_reusedToken_isPermanentWithoutTheToken()
    {
        FakeOAuthServer fake;
        TokenClient client(endpointsFor(fake));
        const QString old = fake.issueRefreshToken();
        QVERIFY(run([&](auto done) { client.refresh(old, done); }).ok());
        const TokenResult again = run([&](auto done) { client.refresh(old, done); });
        QVERIFY(!again.ok());
        QVERIFY(again.error->isPermanent());
        QCOMPARE(again.error->code, QStringLiteral("refresh_token_reused"));
        QVERIFY(again.error->message.contains(u"log in again"));
        QVERIFY(!again.error->message.contains(old));
    }

    void refresh_serverError_isTransient()
    {
        FakeOAuthServer fake;
        fake.setFailure(FakeOAuthServer::Endpoint::Token, FakeOAuthServer::Failure::ServerError);
        TokenClient client(endpointsFor(fake));
        const QString token = fake.issueRefreshToken();
        const TokenResult result = run([&](auto done) { client.refresh(token, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error->kind, OAuthError::Kind::Transient);
        QCOMPARE(result.error->httpStatus, 500);
        QVERIFY(fake.isRefreshTokenValid(token));
    }

    void refresh_injectedInvalidGrant_isPermanent()
    {
        FakeOAuthServer fake;
        fake.setFailure(FakeOAuthServer::Endpoint::Token, FakeOAuthServer::Failure::InvalidGrant);
        TokenClient client(endpointsFor(fake));
        const TokenResult result = run([&](auto done) { client.refresh(fake.issueRefreshToken(), done); });
        QVERIFY(!result.ok());
        QVERIFY(result.error->isPermanent());
    }

    void refresh_answerWithoutRefreshToken_isAnError()
    {
        FakeOAuthServer fake;
        fake.setOmitRefreshTokenOnRefresh(true);
        TokenClient client(endpointsFor(fake));
        const TokenResult result = run([&](auto done) { client.refresh(fake.issueRefreshToken(), done); });
        QVERIFY(!result.ok());
        QVERIFY(!result.error->isPermanent());
        QVERIFY2(result.error->message.contains(u"no new refresh token"), qPrintable(result.errorMessage()));
    }

    void refresh_noAnswerInTime_isTransientTimeout()
    {
        FakeOAuthServer fake;
        fake.setTokenDelayMs(5000);
        TokenClient client(endpointsFor(fake));
        client.setRefreshTimeoutMs(100);
        const TokenResult result = run([&](auto done) { client.refresh(fake.issueRefreshToken(), done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error->kind, OAuthError::Kind::Transient);
        QVERIFY2(result.error->message.contains(u"did not answer"), qPrintable(result.errorMessage()));
        QCOMPARE(client.pendingCount(), 0);
    }

    void refresh_connectionRefused_isTransient()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        OAuthEndpoints endpoints;
        endpoints.authBaseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort()));
        closed.close();
        TokenClient client(endpoints);
        const TokenResult result = run([&](auto done) { client.refresh(QStringLiteral("rt-secret"), done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error->kind, OAuthError::Kind::Transient);
        QCOMPARE(result.error->httpStatus, 0);
        QVERIFY(!result.error->message.contains(u"rt-secret"));
    }

    void abortAll_runningRequest_callbackNeverRuns()
    {
        FakeOAuthServer fake;
        fake.setTokenDelayMs(10'000);
        TokenClient client(endpointsFor(fake));
        bool called = false;
        client.refresh(fake.issueRefreshToken(), [&called](const TokenResult &) { called = true; });
        QCOMPARE(client.pendingCount(), 1);
        QTRY_COMPARE(fake.refreshRequestCount(), 1); // on the wire, the answer held back
        client.abortAll();
        QCOMPARE(client.pendingCount(), 0);
        QTRY_COMPARE(fake.http().clientDisconnectCount(), 1); // the request was really dropped
        QVERIFY(!called);
    }

    void classify_errorShapes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("kind");
        const int permanent = int(OAuthError::Kind::Permanent);
        const int transient = int(OAuthError::Kind::Transient);
        const int rejected = int(OAuthError::Kind::Rejected);
        for (const char *code :
             {"invalid_grant", "refresh_token_expired", "refresh_token_reused", "refresh_token_invalidated",
              "token_invalidated", "token_expired", "app_session_terminated"}) {
            QTest::addRow("%s flat", code) << 400 << QByteArray("{\"error\":\"") + code + "\"}"
                                           << QString::fromLatin1(code) << permanent;
            QTest::addRow("%s nested", code)
                << 401 << QByteArray("{\"error\":{\"message\":\"m\",\"code\":\"") + code + "\"}}"
                << QString::fromLatin1(code) << permanent;
        }
        QTest::newRow("top-level code") << 401 << QByteArray("{\"code\":\"token_expired\"}")
                                        << QStringLiteral("token_expired") << permanent;
        QTest::newRow("500") << 500 << QByteArray("oops") << QString() << transient;
        QTest::newRow("503 json") << 503 << QByteArray("{\"error\":\"temporarily_unavailable\"}")
                                  << QStringLiteral("temporarily_unavailable") << transient;
        QTest::newRow("429") << 429 << QByteArray() << QString() << transient;
        QTest::newRow("400 other") << 400 << QByteArray("{\"error\":\"invalid_request\"}")
                                   << QStringLiteral("invalid_request") << rejected;
        QTest::newRow("401 no body") << 401 << QByteArray() << QString() << rejected;
    }

    void classify_errorShapes()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(int, kind);
        const OAuthError error = OAuthError::fromHttp(status, body);
        QCOMPARE(error.code, code);
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, status);
        QVERIFY(!error.message.isEmpty());
    }

    void parseTokenResponse_expiresIn_countsFromNow()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        const TokenResult result = TokenClient::parseTokenResponse(
            "{\"access_token\":\"at\",\"refresh_token\":\"rt\",\"expires_in\":120}", now);
        QVERIFY(result.ok());
        QCOMPARE(result.tokens.accessExpiresAt, now.addSecs(120));
        QVERIFY(result.tokens.idToken.isEmpty());
    }

    void parseTokenResponse_missingTokens_isMalformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not json") << QByteArray("<html>");
        QTest::newRow("no access") << QByteArray("{\"refresh_token\":\"rt\"}");
        QTest::newRow("no refresh") << QByteArray("{\"access_token\":\"at\"}");
    }

    void parseTokenResponse_missingTokens_isMalformed()
    {
        QFETCH(QByteArray, body);
        const TokenResult result = TokenClient::parseTokenResponse(body, QDateTime::currentDateTimeUtc());
        QVERIFY(!result.ok());
        QCOMPARE(result.error->kind, OAuthError::Kind::Rejected);
    }
};

QTEST_GUILESS_MAIN(tst_OAuthTokenClient)
#include "tst_oauthtokenclient.moc"
