// SPDX-License-Identifier: MIT
// `keygate accounts login` end to end: the built binary against a fake auth server this test runs;
// the test plays the browser (or the phone, for the device code).
#include "tests/support/FakeOAuthServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Core;

class tst_AccountsLogin final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeOAuthServer m_oauth;

    void startKeygate(QProcess &process, const QStringList &arguments, quint16 callbackPort = 0)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEYGATE_DATA_DIR"), m_dir.path());
        env.insert(QStringLiteral("KEYGATE_SECRETS"), QStringLiteral("file"));
        env.insert(QStringLiteral("KEYGATE_OAUTH_BASE_URL"), m_oauth.baseUrl().toString());
        env.insert(QStringLiteral("KEYGATE_OAUTH_CALLBACK_PORT"), QString::number(callbackPort));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("KEYGATE_BINARY"),
                      QStringList{QStringLiteral("accounts"), QStringLiteral("login")} + arguments);
    }

    /// Spins the event loop (the fake server answers meanwhile) until stdout has a line starting with @p prefix.
    static QString waitForLine(QProcess &process, QByteArray &out, const QByteArray &prefix)
    {
        QString found;
        const bool ok = QTest::qWaitFor(
            [&] {
                out += process.readAllStandardOutput();
                for (const QByteArray &line : out.split('\n'))
                    if (line.startsWith(prefix))
                        found = QString::fromUtf8(line.trimmed());
                return !found.isEmpty() || process.state() == QProcess::NotRunning;
            },
            15000);
        return ok ? found : QString();
    }

    static bool waitForExit(QProcess &process)
    {
        return QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, 15000);
    }

    QJsonArray accounts()
    {
        QProcess list;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEYGATE_DATA_DIR"), m_dir.path());
        env.insert(QStringLiteral("KEYGATE_SECRETS"), QStringLiteral("file"));
        list.setProcessEnvironment(env);
        list.start(qEnvironmentVariable("KEYGATE_BINARY"),
                   {QStringLiteral("accounts"), QStringLiteral("list"), QStringLiteral("--json")});
        list.waitForFinished(10000);
        return QJsonDocument::fromJson(list.readAllStandardOutput()).array();
    }

    static QString accountNamed(const QJsonArray &list, const QString &name, const char *field)
    {
        for (const QJsonValue &account : list)
            if (account[QStringLiteral("name")].toString() == name)
                return account[QLatin1String(field)].toVariant().toString();
        return {};
    }

private slots:
    void device_pendingThenSuccess_addsTheAccount()
    {
        m_oauth.setDeviceTiming(0.2, 30);
        m_oauth.setDevicePendingPolls(2);
        QProcess login;
        startKeygate(login, {QStringLiteral("--device"), QStringLiteral("--name"), QStringLiteral("phone")});
        QByteArray out;
        QCOMPARE(waitForLine(login, out, "FAKE-"), m_oauth.deviceUserCode());
        QVERIFY(waitForExit(login));
        QCOMPARE(login.exitCode(), 0);
        QVERIFY(out.contains("logged in: account") || login.readAllStandardOutput().contains("logged in"));
        QVERIFY(m_oauth.devicePollCount() >= 3);
        const QJsonArray list = accounts();
        QCOMPARE(accountNamed(list, QStringLiteral("phone"), "email"), m_oauth.identity().email);
        QCOMPARE(accountNamed(list, QStringLiteral("phone"), "refresh_token_stored"), QStringLiteral("true"));
    }

    void browser_localCallback_addsTheAccount()
    {
        FakeOAuthServer::Identity identity; // another ChatGPT account: the same one would be a re-login
        identity.email = QStringLiteral("browser@example.com");
        identity.accountId = QStringLiteral("acct-browser");
        m_oauth.setIdentity(identity);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const int exchangesBefore = m_oauth.codeExchangeCount();
        QProcess login;
        startKeygate(login, {QStringLiteral("--name"), QStringLiteral("browser")}, port);
        QByteArray out;
        const QString authorizeUrl = waitForLine(login, out, "http");
        QVERIFY2(authorizeUrl.startsWith(m_oauth.baseUrl().toString()), qPrintable(authorizeUrl));
        // The browser: the auth server redirects to the CLI's callback server, which finishes the login.
        QNetworkAccessManager browser;
        QNetworkReply *reply = browser.get(QNetworkRequest(QUrl(authorizeUrl)));
        QVERIFY(waitForExit(login));
        QCOMPARE(login.exitCode(), 0);
        reply->abort(); // the browser's tab: whatever it shows now does not matter
        delete reply;
        QCOMPARE(accountNamed(accounts(), QStringLiteral("browser"), "kind"), QStringLiteral("chatgpt"));
        QCOMPARE(m_oauth.codeExchangeCount(), exchangesBefore + 1);
    }

    void browser_pastedCallbackUrl_addsTheAccount()
    {
        FakeOAuthServer::Identity identity;
        identity.email = QStringLiteral("remote@example.com");
        identity.accountId = QStringLiteral("acct-remote");
        m_oauth.setIdentity(identity);
        QProcess login;
        startKeygate(login, {QStringLiteral("--paste")});
        QByteArray out;
        const QString authorizeUrl = waitForLine(login, out, "http");
        QVERIFY(!authorizeUrl.isEmpty());
        // The browser on another machine: it ends on the redirect URL, which the user copies.
        QNetworkAccessManager browser;
        QNetworkRequest request{QUrl(authorizeUrl)};
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = browser.get(request);
        QTRY_VERIFY(reply->isFinished());
        const QByteArray callback = reply->rawHeader("Location");
        delete reply;
        QVERIFY(callback.contains("code="));
        login.write("not a url\n" + callback + "\n"); // a bad paste is refused, the good one completes
        QVERIFY(waitForExit(login));
        QCOMPARE(login.exitCode(), 0);
        QVERIFY(login.readAllStandardError().contains("paste the whole URL"));
        QCOMPARE(accountNamed(accounts(), QStringLiteral("remote@example.com"), "email"), QStringLiteral("remote@example.com"));
    }

    void device_refused_exitsOneWithMessage()
    {
        m_oauth.setFailure(FakeOAuthServer::Endpoint::DeviceUserCode, FakeOAuthServer::Failure::NotFound);
        QProcess login;
        startKeygate(login, {QStringLiteral("--device")});
        QVERIFY(waitForExit(login));
        QCOMPARE(login.exitCode(), 1);
        QVERIFY(login.readAllStandardError().contains("keygate: error: "));
        m_oauth.setFailure(FakeOAuthServer::Endpoint::DeviceUserCode, FakeOAuthServer::Failure::None);
    }
};

QTEST_GUILESS_MAIN(tst_AccountsLogin)
#include "tst_accountslogin.moc"
