// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/CallbackUrl.h"

#include <QtTest>

using namespace Core;

class tst_OAuthCallbackUrl final : public QObject
{
    Q_OBJECT

private slots:
    void parse_accepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("state");
        QTest::newRow("full URL") << QStringLiteral(
                                         "http://localhost:1455/auth/callback?code=ac_1&state=st_1")
                                  << QStringLiteral("ac_1") << QStringLiteral("st_1");
        QTest::newRow("surrounding blanks")
            << QStringLiteral("  http://localhost:1455/auth/callback?state=s&code=c \n")
            << QStringLiteral("c") << QStringLiteral("s");
        QTest::newRow("percent-encoded")
            << QStringLiteral("http://localhost:1455/auth/callback?code=a%2Bb%2F&state=x%3Dy")
            << QStringLiteral("a+b/") << QStringLiteral("x=y");
        QTest::newRow("path and query") << QStringLiteral("/auth/callback?code=c2&state=s2")
                                        << QStringLiteral("c2") << QStringLiteral("s2");
        QTest::newRow("bare query") << QStringLiteral("code=c3&state=s3&scope=openid") << QStringLiteral("c3")
                                    << QStringLiteral("s3");
        QTest::newRow("fragment dropped")
            << QStringLiteral("http://localhost:1455/auth/callback?code=c4&state=s4#x")
            << QStringLiteral("c4") << QStringLiteral("s4");
        QTest::newRow("no state") << QStringLiteral("http://localhost/auth/callback?code=c5")
                                  << QStringLiteral("c5") << QString();
    }

    void parse_accepted()
    {
        QFETCH(QString, text);
        QFETCH(QString, code);
        QFETCH(QString, state);
        const Result<CallbackParams> result = CallbackUrl::parse(text);
        QVERIFY2(result.ok(), qPrintable(result.error()));
        QCOMPARE(result.value().code, code);
        QCOMPARE(result.value().state, state);
    }

    void parse_refused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << QString() << QStringLiteral("no callback URL");
        QTest::newRow("not a callback")
            << QStringLiteral("https://example.com/") << QStringLiteral("not a callback URL");
        QTest::newRow("no code") << QStringLiteral("http://localhost:1455/auth/callback?state=s")
                                 << QStringLiteral("no authorization code");
        QTest::newRow("error only") << QStringLiteral(
                                           "http://localhost:1455/auth/callback?error=access_denied&state=s")
                                    << QStringLiteral("the sign-in was refused (access_denied)");
        QTest::newRow("error with description")
            << QStringLiteral(
                   "http://localhost:1455/auth/callback?error=access_denied&error_description=User+said+no")
            << QStringLiteral("the sign-in was refused: User said no (access_denied)");
        QTest::newRow("error wins over code")
            << QStringLiteral("/auth/callback?code=c&error=server_error&error_description=boom%20now")
            << QStringLiteral("boom now (server_error)");
    }

    void parse_refused()
    {
        QFETCH(QString, text);
        QFETCH(QString, messagePart);
        const Result<CallbackParams> result = CallbackUrl::parse(text);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().contains(messagePart), qPrintable(result.error()));
    }

    void parse_qurl_readsTheQuery()
    {
        const auto result =
            CallbackUrl::parse(QUrl(QStringLiteral("http://127.0.0.1:1/auth/callback?code=q&state=r")));
        QVERIFY(result.ok());
        QCOMPARE(result.value().code, QStringLiteral("q"));
        QCOMPARE(result.value().state, QStringLiteral("r"));
    }
};

QTEST_GUILESS_MAIN(tst_OAuthCallbackUrl)
#include "tst_oauthcallbackurl.moc"
