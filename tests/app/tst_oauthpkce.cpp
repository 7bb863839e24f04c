// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/OAuthEndpoints.h"
#include "app/core/accounts/oauth/Pkce.h"

#include <QRegularExpression>
#include <QUrlQuery>
#include <QtTest>

using namespace Core;

namespace {

// RFC 7636 Appendix B: the 32 random octets, their base64url verifier and its S256 challenge.
const QByteArray AppendixBOctets = [] {
    const int octets[] = {116, 24,  223, 180, 151, 153, 224, 37,  79, 250, 96, 125, 216, 173, 187, 186,
                          22,  212, 37,  77,  105, 214, 191, 240, 91, 88,  5,  88,  83,  132, 141, 121};
    QByteArray bytes;
    for (int octet : octets)
        bytes.append(char(octet));
    return bytes;
}();
constexpr auto AppendixBVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr auto AppendixBChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

} // namespace

class tst_OAuthPkce final : public QObject
{
    Q_OBJECT

private slots:
    void verifierFromBytes_rfc7636AppendixB_matchesTheVector()
    {
        QCOMPARE(Pkce::verifierFromBytes(AppendixBOctets), QByteArray(AppendixBVerifier));
    }

    void challengeFor_rfc7636AppendixB_matchesTheVector()
    {
        QCOMPARE(Pkce::challengeFor(AppendixBVerifier), QByteArray(AppendixBChallenge));
    }

    void generateVerifier_twice_freshBase64UrlOf32Bytes()
    {
        const QByteArray a = Pkce::generateVerifier();
        const QByteArray b = Pkce::generateVerifier();
        QVERIFY(a != b);
        const QRegularExpression base64Url(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
        QVERIFY2(base64Url.match(QString::fromLatin1(a)).hasMatch(), a.constData());
        QCOMPARE(QByteArray::fromBase64(a, QByteArray::Base64UrlEncoding).size(), 32);
        QVERIFY(base64Url.match(QString::fromLatin1(Pkce::challengeFor(a))).hasMatch());
    }

    void generateState_twice_freshAndUrlSafe()
    {
        const QString a = Pkce::generateState();
        QVERIFY(a != Pkce::generateState());
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{43}$")).match(a).hasMatch());
    }

    void endpoints_defaults_matchTheCodexClient()
    {
        const OAuthEndpoints endpoints;
        QCOMPARE(endpoints.clientId, QStringLiteral("app_EMoamEEZ73f0CkXaXp7hrann"));
        QCOMPARE(endpoints.originator, QStringLiteral("codex_chatgpt_desktop"));
        QCOMPARE(endpoints.callbackPort, quint16(1455));
        QCOMPARE(endpoints.redirectUri, QUrl(QStringLiteral("http://localhost:1455/auth/callback")));
        QCOMPARE(endpoints.scope, QStringLiteral("openid profile email"));
        QCOMPARE(endpoints.tokenUrl(), QUrl(QStringLiteral("https://auth.openai.com/oauth/token")));
        QCOMPARE(endpoints.deviceUserCodeUrl(),
                 QUrl(QStringLiteral("https://auth.openai.com/api/accounts/deviceauth/usercode")));
        QCOMPARE(endpoints.deviceTokenUrl(),
                 QUrl(QStringLiteral("https://auth.openai.com/api/accounts/deviceauth/token")));
        QCOMPARE(endpoints.deviceVerificationUrl(),
                 QUrl(QStringLiteral("https://auth.openai.com/codex/device")));
        QCOMPARE(endpoints.deviceRedirectUri(),
                 QUrl(QStringLiteral("https://auth.openai.com/deviceauth/callback")));
        QCOMPARE(endpoints.redirectUriForPort(4321),
                 QUrl(QStringLiteral("http://localhost:4321/auth/callback")));
    }

    void endpoints_baseWithTrailingSlash_joinsPathsOnce()
    {
        OAuthEndpoints endpoints;
        endpoints.authBaseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/auth/"));
        QCOMPARE(endpoints.tokenUrl(), QUrl(QStringLiteral("http://127.0.0.1:9/auth/oauth/token")));
    }

    void authorizeUrl_defaults_exactlyTheReferenceQuery()
    {
        const QUrl url = Pkce::authorizeUrl(OAuthEndpoints(), AppendixBChallenge, QStringLiteral("st-1"));
        QCOMPARE(url.scheme(), QStringLiteral("https"));
        QCOMPARE(url.host(), QStringLiteral("auth.openai.com"));
        QCOMPARE(url.path(), QStringLiteral("/oauth/authorize"));
        // Order and encoding as the Codex CLI sends them.
        QCOMPARE(url.query(QUrl::FullyEncoded),
                 QStringLiteral("response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann"
                                "&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback"
                                "&scope=openid%20profile%20email%20offline_access"
                                "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                                "&code_challenge_method=S256&state=st-1&id_token_add_organizations=true"
                                "&codex_cli_simplified_flow=true&originator=codex_chatgpt_desktop"));
        const QUrlQuery query(url);
        QCOMPARE(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                 QStringLiteral("http://localhost:1455/auth/callback"));
        QCOMPARE(query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
                 QStringLiteral("openid profile email offline_access"));
    }

    void authorizeUrl_stateWithReservedCharacters_isEncoded()
    {
        const QUrl url = Pkce::authorizeUrl(OAuthEndpoints(), "c", QStringLiteral("a+b&c=d"));
        QVERIFY(url.query(QUrl::FullyEncoded).contains(u"state=a%2Bb%26c%3Dd&"));
        QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded),
                 QStringLiteral("a+b&c=d"));
    }
};

QTEST_GUILESS_MAIN(tst_OAuthPkce)
#include "tst_oauthpkce.moc"
