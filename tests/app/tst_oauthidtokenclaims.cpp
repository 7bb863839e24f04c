// SPDX-License-Identifier: MIT
#include "tests/support/FakeOAuthServer.h"

#include "app/core/accounts/oauth/IdTokenClaims.h"

#include <QtTest>

using namespace Core;

class tst_OAuthIdTokenClaims final : public QObject
{
    Q_OBJECT

private slots:
    void fromJwt_openAiIdToken_readsEmailAccountPlanUserAndExp()
    {
        const QJsonObject auth{{QStringLiteral("chatgpt_account_id"), QStringLiteral("acct-42")},
                               {QStringLiteral("chatgpt_plan_type"), QStringLiteral("pro")},
                               {QStringLiteral("chatgpt_user_id"), QStringLiteral("user-7")}};
        const QString jwt =
            FakeOAuthServer::makeJwt({{QStringLiteral("email"), QStringLiteral("a@example.com")},
                                      {QStringLiteral("exp"), 1'900'000'000},
                                      {QStringLiteral("https://api.openai.com/auth"), auth}});
        const IdTokenClaims claims = IdTokenClaims::fromJwt(jwt);
        QVERIFY(claims.decoded);
        QCOMPARE(claims.email, QStringLiteral("a@example.com"));
        QCOMPARE(claims.chatgptAccountId, QStringLiteral("acct-42"));
        QCOMPARE(claims.planType, QStringLiteral("pro"));
        QCOMPARE(claims.chatgptUserId, QStringLiteral("user-7"));
        QCOMPARE(claims.expiresAt, QDateTime::fromSecsSinceEpoch(1'900'000'000, Qt::UTC));
    }

    void fromJwt_payloadNeedingPadding_decodes()
    {
        // Payload lengths that are not a multiple of 3 leave base64url without its '=' padding.
        for (const QString &email :
             {QStringLiteral("a@b.c"), QStringLiteral("ab@b.c"), QStringLiteral("abc@b.c")}) {
            const IdTokenClaims claims =
                IdTokenClaims::fromJwt(FakeOAuthServer::makeJwt({{QStringLiteral("email"), email}}));
            QVERIFY(claims.decoded);
            QCOMPARE(claims.email, email);
        }
    }

    void fromJwt_withoutClaims_leavesFieldsEmpty()
    {
        const IdTokenClaims claims =
            IdTokenClaims::fromJwt(FakeOAuthServer::makeJwt({{QStringLiteral("sub"), 1}}));
        QVERIFY(claims.decoded);
        QVERIFY(claims.email.isEmpty());
        QVERIFY(claims.chatgptAccountId.isEmpty());
        QVERIFY(!claims.expiresAt.isValid());
    }

    void fromJwt_notAJwt_isNotDecoded_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << QString();
        QTest::newRow("opaque") << QStringLiteral("sk-abc");
        QTest::newRow("two parts") << QStringLiteral("eyJhIjoxfQ.eyJhIjoxfQ");
        QTest::newRow("bad base64") << QStringLiteral("x.@@@@.y");
        QTest::newRow("not json") << QStringLiteral("x.") +
                                         QString::fromLatin1(QByteArray("hello").toBase64()) +
                                         QStringLiteral(".y");
        QTest::newRow("json array") << QStringLiteral("x.") +
                                           QString::fromLatin1(QByteArray("[1]").toBase64()) +
                                           QStringLiteral(".y");
    }

    void fromJwt_notAJwt_isNotDecoded()
    {
        QFETCH(QString, token);
        const IdTokenClaims claims = IdTokenClaims::fromJwt(token);
        QVERIFY(!claims.decoded);
        QVERIFY(claims.email.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_OAuthIdTokenClaims)
#include "tst_oauthidtokenclaims.moc"
