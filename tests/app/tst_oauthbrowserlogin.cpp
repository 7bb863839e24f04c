// SPDX-License-Identifier: MIT
#include "tests/support/FakeOAuthServer.h"

#include "app/core/accounts/oauth/BrowserLogin.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QtTest>

#include <memory>

using namespace Core;

namespace {

OAuthEndpoints endpointsFor(const FakeOAuthServer &fake)
{
    OAuthEndpoints endpoints;
    endpoints.authBaseUrl = fake.baseUrl();
    endpoints.callbackPort = 0; // any free port
    return endpoints;
}

/// What the browser ended on.
struct Page final
{
    int status = 0;
    QUrl url;
    QByteArray body;
    QByteArray location; ///< with manual redirects
};

/// Plays the browser: GET @p url, following redirects unless @p manual.
Page browse(const QUrl &url, bool manual = false)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    if (manual)
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    std::unique_ptr<QNetworkReply> reply(network.get(request));
    if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 20000))
        return {};
    return Page{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->url(),
                reply->readAll(), reply->rawHeader("Location")};
}

/// Starts @p login and returns the authorize URL it reports.
QUrl startAndWaitForUrl(BrowserLogin &login,
                        BrowserLogin::CallbackMode mode = BrowserLogin::CallbackMode::LocalServer)
{
    QSignalSpy ready(&login, &BrowserLogin::authorizeUrlReady);
    login.start(mode);
    if (!ready.wait(10000))
        return {};
    return ready.constFirst().constFirst().toUrl();
}

QString stateOf(const QUrl &url)
{
    return QUrlQuery(url).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
}

} // namespace

class tst_OAuthBrowserLogin final : public QObject
{
    Q_OBJECT

private slots:
    void start_browserFollowsRedirect_exchangesCodeAndReportsClaims()
    {
        FakeOAuthServer fake;
        BrowserLogin login(endpointsFor(fake));
        QSignalSpy succeeded(&login, &BrowserLogin::succeeded);
        QSignalSpy failed(&login, &BrowserLogin::failed);
        const QUrl authorize = startAndWaitForUrl(login);
        QVERIFY(authorize.isValid());
        const quint16 port = login.callbackPort();
        QVERIFY(port != 0);
        QCOMPARE(login.redirectUri(), QUrl(QStringLiteral("http://localhost:%1/auth/callback").arg(port)));
        QCOMPARE(QUrlQuery(authorize).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                 login.redirectUri().toString());

        const Page page = browse(authorize);
        QCOMPARE(page.status, 200);
        QCOMPARE(page.url.path(), QStringLiteral("/auth/callback"));
        QVERIFY2(page.body.contains("You can close this tab"), page.body.constData());
        QTRY_COMPARE(succeeded.size(), 1);
        QCOMPARE(failed.size(), 0);
        const auto tokens = succeeded.constFirst().constFirst().value<AccountTokens>();
        QCOMPARE(tokens.refreshToken, fake.latestRefreshToken());
        QCOMPARE(tokens.accessToken, fake.latestAccessToken());
        QCOMPARE(tokens.email, QStringLiteral("user@example.com"));
        QCOMPARE(tokens.chatgptAccountId, QStringLiteral("acct-fake-1"));
        QCOMPARE(tokens.planType, QStringLiteral("plus"));
        QCOMPARE(fake.codeExchangeCount(), 1); // the fake checked S256(verifier) == the challenge
        QVERIFY(!login.isRunning());
        QCOMPARE(login.callbackPort(), quint16(0));
    }

    void callback_wrongOrMissingState_400IgnoredLoginKeepsWaiting()
    {
        FakeOAuthServer fake;
        BrowserLogin login(endpointsFor(fake));
        QSignalSpy succeeded(&login, &BrowserLogin::succeeded);
        QSignalSpy failed(&login, &BrowserLogin::failed);
        const QUrl authorize = startAndWaitForUrl(login);
        QVERIFY(authorize.isValid());
        // Any local page can aim at the callback: a forged code, a forged error, no state at all.
        for (const char *query : {"code=stolen&state=forged", "error=access_denied&state=forged",
                                  "error=access_denied", "code=stolen"}) {
            const Page page = browse(QUrl(QStringLiteral("http://127.0.0.1:%1/auth/callback?%2")
                                              .arg(login.callbackPort())
                                              .arg(QString::fromLatin1(query))));
            QCOMPARE(page.status, 400);
            QVERIFY(page.body.contains("state mismatch"));
            QVERIFY2(login.isRunning(), query);
        }
        QCOMPARE(failed.size(), 0);
        QCOMPARE(fake.codeExchangeCount(), 0);
        // The real answer still completes the login.
        QCOMPARE(browse(authorize).status, 200);
        QTRY_COMPARE(succeeded.size(), 1);
        QCOMPARE(failed.size(), 0);
    }

    void callback_otherPath_notFoundAndStillWaiting()
    {
        FakeOAuthServer fake;
        BrowserLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &BrowserLogin::failed);
        const QUrl authorize = startAndWaitForUrl(login);
        QCOMPARE(
            browse(QUrl(QStringLiteral("http://127.0.0.1:%1/favicon.ico").arg(login.callbackPort()))).status,
            404);
        QVERIFY(login.isRunning());
        QCOMPARE(browse(authorize).status, 200);
        QCOMPARE(failed.size(), 0);
    }

    void callback_signInRefused_reportsTheReason()
    {
        FakeOAuthServer fake;
        fake.setAuthorizeError(QStringLiteral("access_denied"), QStringLiteral("The user said no"));
        BrowserLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &BrowserLogin::failed);
        const Page page = browse(startAndWaitForUrl(login));
        QCOMPARE(page.status, 400);
        QTRY_COMPARE(failed.size(), 1);
        const QString message = failed.constFirst().constFirst().toString();
        QVERIFY2(message.contains(u"The user said no") && message.contains(u"access_denied"),
                 qPrintable(message));
        QCOMPARE(fake.codeExchangeCount(), 0);
    }

    void start_portInUse_failsSuggestingDeviceOrPaste()
    {
        FakeOAuthServer fake;
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost));
        OAuthEndpoints endpoints = endpointsFor(fake);
        endpoints.callbackPort = squatter.serverPort();
        BrowserLogin login(endpoints);
        QSignalSpy ready(&login, &BrowserLogin::authorizeUrlReady);
        QSignalSpy failed(&login, &BrowserLogin::failed);
        login.start();
        QVERIFY(failed.wait(10000));
        const QString message = failed.constFirst().constFirst().toString();
        QVERIFY2(message.contains(QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort())),
                 qPrintable(message));
        QVERIFY2(message.contains(u"--device"), qPrintable(message));
        QVERIFY2(message.contains(u"paste the callback URL"), qPrintable(message));
        QCOMPARE(ready.size(), 0);
        QVERIFY(!login.isRunning());
    }

    void completeWithCallbackUrl_pastedUrl_exchangesWithoutAServer()
    {
        FakeOAuthServer fake;
        OAuthEndpoints endpoints = endpointsFor(fake);
        endpoints.callbackPort = OAuthEndpoints::DefaultCallbackPort; // only written into the URL
        BrowserLogin login(endpoints);
        QSignalSpy succeeded(&login, &BrowserLogin::succeeded);
        const QUrl authorize = startAndWaitForUrl(login, BrowserLogin::CallbackMode::PasteOnly);
        QCOMPARE(login.callbackPort(), quint16(0));
        QCOMPARE(login.redirectUri(), QUrl(QStringLiteral("http://localhost:1455/auth/callback")));

        // The browser is sent to localhost:1455, which this machine cannot reach; the user copies
        // the address bar.
        const Page redirect = browse(authorize, /*manual*/ true);
        QCOMPARE(redirect.status, 302);
        const QString pasted = QString::fromLatin1(redirect.location);
        QVERIFY(pasted.startsWith(u"http://localhost:1455/auth/callback?code="));

        QVERIFY(!login.completeWithCallbackUrl(QStringLiteral("not a url")).ok());
        QString forged = pasted;
        forged.replace(QStringLiteral("state=") + stateOf(authorize), QStringLiteral("state=other"));
        const Status mismatch = login.completeWithCallbackUrl(forged);
        QVERIFY(!mismatch.ok());
        QVERIFY2(mismatch.error().contains(u"state mismatch"), qPrintable(mismatch.error()));
        QVERIFY(login.isRunning());

        const Status accepted = login.completeWithCallbackUrl(pasted);
        QVERIFY2(accepted.ok(), qPrintable(accepted.error()));
        QVERIFY(!login.completeWithCallbackUrl(pasted).ok()); // already completing
        QVERIFY(succeeded.wait(10000));
        QCOMPARE(succeeded.constFirst().constFirst().value<AccountTokens>().refreshToken,
                 fake.latestRefreshToken());
        QCOMPARE(fake.codeExchangeCount(), 1);
    }

    void callback_exchangeFails_failsAndTellsTheBrowser()
    {
        FakeOAuthServer fake;
        fake.setFailure(FakeOAuthServer::Endpoint::Token, FakeOAuthServer::Failure::ServerError);
        BrowserLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &BrowserLogin::failed);
        const Page page = browse(startAndWaitForUrl(login));
        QCOMPARE(page.status, 502);
        QVERIFY(page.body.contains("Sign-in failed"));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY2(failed.constFirst().constFirst().toString().contains(u"HTTP 500"),
                 qPrintable(failed.constFirst().constFirst().toString()));
    }

    void start_noCallbackInTime_timesOut()
    {
        FakeOAuthServer fake;
        BrowserLogin login(endpointsFor(fake));
        login.setTimeoutMs(200);
        QSignalSpy failed(&login, &BrowserLogin::failed);
        QVERIFY(startAndWaitForUrl(login).isValid());
        const quint16 port = login.callbackPort();
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.constFirst().constFirst().toString().contains(u"timed out"));
        QVERIFY(!login.isRunning());
        QTcpSocket probe; // the callback server is gone
        probe.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!probe.waitForConnected(2000));
    }

    void cancel_running_noSignalAndPortReleased()
    {
        FakeOAuthServer fake;
        BrowserLogin login(endpointsFor(fake));
        QSignalSpy failed(&login, &BrowserLogin::failed);
        QSignalSpy succeeded(&login, &BrowserLogin::succeeded);
        const QUrl authorize = startAndWaitForUrl(login);
        login.cancel();
        QVERIFY(!login.isRunning());
        QVERIFY(browse(authorize).status != 200);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(succeeded.size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_OAuthBrowserLogin)
#include "tst_oauthbrowserlogin.moc"
