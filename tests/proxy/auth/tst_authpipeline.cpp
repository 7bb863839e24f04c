// SPDX-License-Identifier: MIT
#include "proxy/auth/AuthPipeline.h"
#include "proxy/auth/SecretMask.h"

#include <QTest>

using namespace Proxy;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

namespace {

const QByteArray PiKey = "sk-kg-PiLaptopPiLaptopPiLaptopPiLaptopPiLaptopQ3x";
const QByteArray CiKey = "sk-kg-ContinuousIntegrationContinuousIntegrat1";
const QByteArray DisabledKey = "sk-kg-DisabledDisabledDisabledDisabledDisabledD";
const QByteArray ExpiredKey = "sk-kg-ExpiredExpiredExpiredExpiredExpiredExpir";
const QByteArray UnknownKey = "sk-kg-UnknownUnknownUnknownUnknownUnknownUnkno";
const QByteArray PiPlaceholderJwt =
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0=.eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lkIjoi"
    "cHJveHkifX0=.sig";
const QDateTime Now = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

KeySnapshot makeSnapshot()
{
    KeySnapshot keys;
    keys.insert(keyDigest(PiKey), {1, QStringLiteral("pi-laptop"), QStringLiteral("sk-kg-\u2026Q3x"), true, {}, {}, {}});
    keys.insert(keyDigest(CiKey), {2, QStringLiteral("ci"), QStringLiteral("sk-kg-\u2026rat1"), true,
                                   Now.addDays(1), {}, {}});
    keys.insert(keyDigest(DisabledKey), {3, QStringLiteral("old"), QStringLiteral("sk-kg-\u2026sD"), false, {}, {}, {}});
    keys.insert(keyDigest(ExpiredKey), {4, QStringLiteral("temp"), QStringLiteral("sk-kg-\u2026pir"), true,
                                        Now.addSecs(-1), {}, {}});
    return keys;
}

HttpHeaders toHeaders(const HeaderList &list)
{
    HttpHeaders headers;
    bool hasHost = false;
    for (const auto &[name, value] : list) {
        headers.append(name, value);
        hasHost |= name.compare("host", Qt::CaseInsensitive) == 0;
    }
    if (!hasHost)
        headers.append("Host", "127.0.0.1:2455");
    return headers;
}

QByteArray bearer(const QByteArray &token)
{
    return "Bearer " + token;
}

} // namespace

class tst_AuthPipeline final : public QObject
{
    Q_OBJECT

private slots:
    void decideAuth_matrix_data();
    void decideAuth_matrix();
    void decideAuth_usageRoute_requiresKeyEvenWhenRequireKeyOff();
    void summary_piPlaceholderThenApiKey_readsAsOneLine();
    void trace_neverContainsPlaintextKey();
    void decideAuth_fallbackModes_data();
    void decideAuth_fallbackModes();
    void summary_fallbackRefused_namesTheRule();
    void decideAuth_tokenPrefixMustMatchKeyOrigin_data();
    void decideAuth_tokenPrefixMustMatchKeyOrigin();
    void mayPresentKnownKey_importedKey_screensByItsStart();
};

void tst_AuthPipeline::decideAuth_matrix_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("requireKey");
    QTest::addColumn<int>("status");       // 0 = allowed
    QTest::addColumn<QString>("keyName");  // empty = no key
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message"); // substring of the error message

    const QString local = QStringLiteral("127.0.0.1");
    const QString none = QStringLiteral("none");
    const QString authz = QStringLiteral("authorization");
    const QString xkey = QStringLiteral("x-api-key");
    const QString pi = QStringLiteral("pi-laptop");
    const QString ci = QStringLiteral("ci");

    QTest::newRow("valid Bearer") << HeaderList{{"Authorization", bearer(PiKey)}} << local << true << 0 << pi
                                  << authz << QString();
    QTest::newRow("lowercase scheme") << HeaderList{{"authorization", "bearer " + PiKey}} << local << true << 0
                                      << pi << authz << QString();
    QTest::newRow("uppercase scheme") << HeaderList{{"AUTHORIZATION", "BEARER " + PiKey}} << local << true << 0
                                      << pi << authz << QString();
    QTest::newRow("extra spaces and tab") << HeaderList{{"Authorization", "  Bearer \t  " + PiKey + "  "}}
                                          << local << true << 0 << pi << authz << QString();
    QTest::newRow("Basic scheme + valid x-api-key")
        << HeaderList{{"Authorization", "Basic " + CiKey}, {"x-api-key", PiKey}} << local << true << 0 << pi
        << xkey << QString();
    QTest::newRow("empty Bearer + valid x-api-key")
        << HeaderList{{"Authorization", "Bearer   "}, {"x-api-key", PiKey}} << local << true << 0 << pi << xkey
        << QString();
    QTest::newRow("unknown Bearer + valid x-api-key")
        << HeaderList{{"Authorization", bearer(UnknownKey)}, {"x-api-key", PiKey}} << local << true << 0 << pi
        << xkey << QString();
    QTest::newRow("disabled Bearer + valid x-api-key")
        << HeaderList{{"Authorization", bearer(DisabledKey)}, {"x-api-key", PiKey}} << local << true << 0 << pi
        << xkey << QString();
    QTest::newRow("expired Bearer + valid x-api-key")
        << HeaderList{{"Authorization", bearer(ExpiredKey)}, {"x-api-key", PiKey}} << local << true << 0 << pi
        << xkey << QString();
    QTest::newRow("Pi placeholder JWT + valid x-api-key")
        << HeaderList{{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", PiKey}} << local << true << 0
        << pi << xkey << QString();
    QTest::newRow("valid Bearer wins over other valid x-api-key")
        << HeaderList{{"Authorization", bearer(CiKey)}, {"x-api-key", PiKey}} << local << true << 0 << ci << authz
        << QString();
    QTest::newRow("valid Bearer + invalid x-api-key")
        << HeaderList{{"Authorization", bearer(CiKey)}, {"x-api-key", UnknownKey}} << local << true << 0 << ci
        << authz << QString();
    QTest::newRow("both invalid → x-api-key reason")
        << HeaderList{{"Authorization", bearer(UnknownKey)}, {"x-api-key", ExpiredKey}} << local << true << 401
        << QString() << none << QStringLiteral("API key has expired");
    QTest::newRow("Bearer disabled only") << HeaderList{{"Authorization", bearer(DisabledKey)}} << local << true
                                          << 401 << QString() << none << QStringLiteral("disabled");
    QTest::newRow("x-api-key only") << HeaderList{{"x-api-key", "  " + PiKey + " "}} << local << true << 0 << pi
                                    << xkey << QString();
    QTest::newRow("x-api-key: Bearer <valid> fails") << HeaderList{{"x-api-key", bearer(PiKey)}} << local << true
                                                     << 401 << QString() << none
                                                     << QStringLiteral("Invalid API key");
    QTest::newRow("identical duplicate counts once")
        << HeaderList{{"x-api-key", PiKey}, {"X-Api-Key", PiKey}} << local << true << 0 << pi << xkey << QString();
    QTest::newRow("differing duplicate → 400")
        << HeaderList{{"Authorization", bearer(PiKey)}, {"Authorization", bearer(CiKey)}} << local << true << 400
        << QString() << none << QStringLiteral("conflicting duplicate Authorization header");
    QTest::newRow("differing duplicate x-api-key → 400")
        << HeaderList{{"x-api-key", PiKey}, {"x-api-key", CiKey}} << local << true << 400 << QString() << none
        << QStringLiteral("conflicting duplicate x-api-key header");
    QTest::newRow("nothing → missing") << HeaderList{} << local << true << 401 << QString() << none
                                       << QStringLiteral("Missing API key");
    QTest::newRow("malformed Authorization only") << HeaderList{{"Authorization", "Token abc"}} << local << true
                                                  << 401 << QString() << none << QStringLiteral("Malformed");
    QTest::newRow("require-key off: loopback anonymous") << HeaderList{} << local << false << 0 << QString() << none
                                                         << QString();
    QTest::newRow("require-key off: loopback ::1 anonymous") << HeaderList{{"Host", "[::1]:2455"}}
                                                             << QStringLiteral("::1") << false << 0 << QString()
                                                             << none << QString();
    QTest::newRow("require-key off: unknown Bearer anonymous")
        << HeaderList{{"Authorization", bearer(PiPlaceholderJwt)}} << local << false << 0 << QString() << none
        << QString();
    QTest::newRow("require-key off: loopback with valid key attributed")
        << HeaderList{{"x-api-key", PiKey}} << local << false << 0 << pi << xkey << QString();
    QTest::newRow("require-key off: non-loopback refused")
        << HeaderList{{"Host", "10.0.0.5:2455"}} << QStringLiteral("10.0.0.7") << false << 401 << QString() << none
        << QStringLiteral("Proxy authentication must be configured before remote access is allowed");
    QTest::newRow("require-key off: Host example.com not local")
        << HeaderList{{"Host", "example.com"}} << local << false << 401 << QString() << none
        << QStringLiteral("remote access");
    QTest::newRow("require-key off: X-Forwarded-For not local")
        << HeaderList{{"X-Forwarded-For", ""}} << local << false << 401 << QString() << none
        << QStringLiteral("remote access");
    QTest::newRow("require-key on: loopback still needs a key") << HeaderList{} << local << true << 401 << QString()
                                                                << none << QStringLiteral("Missing");
}

void tst_AuthPipeline::decideAuth_matrix()
{
    QFETCH(HeaderList, headers);
    QFETCH(QString, peer);
    QFETCH(bool, requireKey);
    QFETCH(int, status);
    QFETCH(QString, keyName);
    QFETCH(QString, source);
    QFETCH(QString, message);

    const KeySnapshot keys = makeSnapshot();
    const HttpHeaders httpHeaders = toHeaders(headers);
    const AuthDecision decision =
        decideAuth({"POST", "/v1/responses", httpHeaders, QHostAddress(peer)}, {requireKey, false}, keys, Now);

    QCOMPARE(decision.status, status);
    QCOMPARE(decision.allowed(), status == 0);
    QCOMPARE(decision.key ? decision.key->name : QString(), keyName);
    QCOMPARE(decision.trace.source, source);
    QCOMPARE(decision.trace.status, status);
    if (!message.isEmpty())
        QVERIFY2(decision.message.contains(message), qPrintable(decision.message));
    if (status == 401) {
        QCOMPARE(decision.errorType, QStringLiteral("authentication_error"));
        QCOMPARE(decision.errorCode, QStringLiteral("invalid_api_key"));
    }
}

void tst_AuthPipeline::decideAuth_usageRoute_requiresKeyEvenWhenRequireKeyOff()
{
    const KeySnapshot keys = makeSnapshot();
    const HttpHeaders none = toHeaders({});
    const AuthDecision denied = decideAuth({"GET", "/v1/usage", none, QHostAddress::LocalHost}, {false, true}, keys,
                                           Now);
    QCOMPARE(denied.status, 401);
    const HttpHeaders withKey = toHeaders({{"x-api-key", PiKey}});
    const AuthDecision ok = decideAuth({"GET", "/v1/usage", withKey, QHostAddress::LocalHost}, {false, true}, keys,
                                       Now);
    QCOMPARE(ok.status, 0);
    QCOMPARE(ok.key->id, 1);
}

void tst_AuthPipeline::summary_piPlaceholderThenApiKey_readsAsOneLine()
{
    const KeySnapshot keys = makeSnapshot();
    const HttpHeaders headers = toHeaders({{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", PiKey}});
    const AuthDecision decision =
        decideAuth({"POST", "/backend-api/codex/responses", headers, QHostAddress::LocalHost}, {}, keys, Now);
    QCOMPARE(decision.trace.summary(),
             QStringLiteral("Bearer unknown (JWT-shaped \u2026sig) \u2192 x-api-key accepted sk-kg-\u2026Q3x "
                            "\"pi-laptop\""));
    const HttpHeaders unknownOnly = toHeaders({{"Authorization", bearer(UnknownKey)}});
    const AuthDecision denied =
        decideAuth({"POST", "/v1/responses", unknownOnly, QHostAddress::LocalHost}, {}, keys, Now);
    QCOMPARE(denied.trace.summary(),
             QStringLiteral("Bearer unknown (sk-kg-\u2026nkno) \u2192 401 Invalid API key"));
}

void tst_AuthPipeline::trace_neverContainsPlaintextKey()
{
    const KeySnapshot keys = makeSnapshot();
    const QList<QByteArray> secrets{PiKey, CiKey, DisabledKey, ExpiredKey, UnknownKey, PiPlaceholderJwt};
    const QList<HeaderList> requests{
        {{"Authorization", bearer(PiKey)}},
        {{"Authorization", bearer(UnknownKey)}, {"x-api-key", CiKey}},
        {{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", ExpiredKey}},
        {{"Authorization", bearer(DisabledKey)}, {"Authorization", bearer(PiKey)}},
        {{"x-api-key", bearer(PiKey)}},
        {{"Authorization", "Basic " + PiKey}},
    };
    for (const HeaderList &request : requests) {
        const HttpHeaders headers = toHeaders(request);
        const AuthDecision decision =
            decideAuth({"POST", "/v1/responses", headers, QHostAddress::LocalHost}, {}, keys, Now);
        QString everything = decision.trace.summary() + decision.message + decision.trace.reason;
        for (const AuthStep &step : decision.trace.steps)
            everything += step.header + step.maskedValue + step.keyName;
        for (const QByteArray &secret : secrets) {
            QVERIFY2(!everything.contains(QString::fromLatin1(secret)), qPrintable(everything));
            QVERIFY2(!everything.contains(QString::fromLatin1(secret.mid(6, 12))), qPrintable(everything));
        }
    }
}

void tst_AuthPipeline::decideAuth_fallbackModes_data()
{
    QTest::addColumn<QString>("fallback");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<int>("status");      // 0 = allowed
    QTest::addColumn<QString>("source");

    const QString authz = QStringLiteral("authorization");
    const QString xkey = QStringLiteral("x-api-key");
    const QString none = QStringLiteral("none");
    const QByteArray importedShaped = "sk-clb-UnknownUnknownUnknownUnknownUnknown";
    for (const char *mode : {"always", "placeholder-only", "never"}) {
        const QString m = QString::fromLatin1(mode);
        const bool always = m == u"always";
        const bool never = m == u"never";
        QTest::addRow("%s: valid Bearer wins", mode)
            << m << HeaderList{{"Authorization", bearer(PiKey)}, {"x-api-key", UnknownKey}} << 0 << authz;
        QTest::addRow("%s: Pi placeholder then x-api-key", mode)
            << m << HeaderList{{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", PiKey}}
            << (never ? 401 : 0) << (never ? none : xkey);
        QTest::addRow("%s: no Authorization, x-api-key", mode)
            << m << HeaderList{{"x-api-key", PiKey}} << (never ? 401 : 0) << (never ? none : xkey);
        QTest::addRow("%s: unknown Keygate Bearer then valid x-api-key", mode)
            << m << HeaderList{{"Authorization", bearer(UnknownKey)}, {"x-api-key", PiKey}}
            << (always ? 0 : 401) << (always ? xkey : none);
        QTest::addRow("%s: disabled Bearer then valid x-api-key", mode)
            << m << HeaderList{{"Authorization", bearer(DisabledKey)}, {"x-api-key", PiKey}}
            << (always ? 0 : 401) << (always ? xkey : none);
        QTest::addRow("%s: expired Bearer then valid x-api-key", mode)
            << m << HeaderList{{"Authorization", bearer(ExpiredKey)}, {"x-api-key", PiKey}}
            << (always ? 0 : 401) << (always ? xkey : none);
        QTest::addRow("%s: imported-shaped Bearer then valid x-api-key", mode)
            << m << HeaderList{{"Authorization", bearer(importedShaped)}, {"x-api-key", PiKey}}
            << (always ? 0 : 401) << (always ? xkey : none);
        // Without the scheme the value is still key-shaped: not a placeholder.
        QTest::addRow("%s: bare Keygate key as Authorization then valid x-api-key", mode)
            << m << HeaderList{{"Authorization", UnknownKey}, {"x-api-key", PiKey}}
            << (always ? 0 : 401) << (always ? xkey : none);
        QTest::addRow("%s: placeholder then unknown x-api-key", mode)
            << m << HeaderList{{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", UnknownKey}} << 401
            << none;
    }
}

void tst_AuthPipeline::decideAuth_fallbackModes()
{
    QFETCH(QString, fallback);
    QFETCH(HeaderList, headers);
    QFETCH(int, status);
    QFETCH(QString, source);

    bool ok = false;
    AuthPolicy policy;
    policy.apiKeyFallback = apiKeyFallbackFromString(fallback, &ok);
    QVERIFY(ok);
    const KeySnapshot keys = makeSnapshot();
    const HttpHeaders httpHeaders = toHeaders(headers);
    const AuthDecision decision =
        decideAuth({"POST", "/v1/responses", httpHeaders, QHostAddress::LocalHost}, policy, keys, Now);
    QCOMPARE(decision.status, status);
    QCOMPARE(decision.trace.source, source);
    QCOMPARE(decision.key != nullptr, status == 0);
}

void tst_AuthPipeline::summary_fallbackRefused_namesTheRule()
{
    const KeySnapshot keys = makeSnapshot();
    AuthPolicy policy;
    policy.apiKeyFallback = ApiKeyFallback::PlaceholderOnly;
    const HttpHeaders refused = toHeaders({{"Authorization", bearer(UnknownKey)}, {"x-api-key", PiKey}});
    QCOMPARE(decideAuth({"POST", "/v1/responses", refused, QHostAddress::LocalHost}, policy, keys, Now).trace.summary(),
             QStringLiteral("Bearer unknown (sk-kg-\u2026nkno) \u2192 x-api-key not tried (sk-kg-\u2026pQ3x) "
                            "[x-api-key-fallback placeholder-only: a key-shaped Bearer is final] \u2192 401 Invalid "
                            "API key"));
    const HttpHeaders placeholder = toHeaders({{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", PiKey}});
    QCOMPARE(
        decideAuth({"POST", "/v1/responses", placeholder, QHostAddress::LocalHost}, policy, keys, Now).trace.summary(),
        QStringLiteral("Bearer unknown (JWT-shaped \u2026sig) \u2192 x-api-key accepted sk-kg-\u2026Q3x \"pi-laptop\" "
                       "[x-api-key-fallback placeholder-only: Bearer is a placeholder]"));
    policy.apiKeyFallback = ApiKeyFallback::Never;
    const HttpHeaders apiKeyOnly = toHeaders({{"x-api-key", PiKey}});
    QCOMPARE(
        decideAuth({"POST", "/v1/responses", apiKeyOnly, QHostAddress::LocalHost}, policy, keys, Now).trace.summary(),
        QStringLiteral("x-api-key not tried (sk-kg-\u2026pQ3x) [x-api-key-fallback never] \u2192 401 Missing API key: "
                       "send `Authorization: Bearer <key>` (this proxy does not read x-api-key)"));
}


namespace {

const QByteArray ImportedKey = "sk-clb-ImportedImportedImportedImportedImportedI";
// Rows that should not exist, made by a hostile database: a Keygate row holding the hash of an sk-clb-
// token, and an imported row holding the hash of an sk-kg- token.
const QByteArray ClbUnderKeygateRow = "sk-clb-NativeRowNativeRowNativeRowNativeRowNativ";
const QByteArray KgUnderImportedRow = "sk-kg-ForgedRowForgedRowForgedRowForgedRowForged";

KeySnapshot makeOriginSnapshot()
{
    KeySnapshot keys;
    keys.insert(keyDigest(ImportedKey), {10, QStringLiteral("imported"), QStringLiteral("sk-clb-Impo\u2026"), true, {},
                                         {}, {}, KeyOrigin::CodexLb});
    keys.insert(keyDigest(ClbUnderKeygateRow), {11, QStringLiteral("native"), QStringLiteral("sk-kg-\u2026ativ"), true,
                                                {}, {}, {}, KeyOrigin::Keygate});
    keys.insert(keyDigest(KgUnderImportedRow), {12, QStringLiteral("forged"), QStringLiteral("sk-clb-Forg\u2026"), true,
                                                {}, {}, {}, KeyOrigin::CodexLb});
    return keys;
}

} // namespace

void tst_AuthPipeline::decideAuth_tokenPrefixMustMatchKeyOrigin_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("keyName");
    QTest::newRow("imported sk-clb- as Bearer") << HeaderList{{"Authorization", bearer(ImportedKey)}} << 0
                                                << QStringLiteral("imported");
    QTest::newRow("imported sk-clb- in x-api-key after Pi's JWT")
        << HeaderList{{"Authorization", bearer(PiPlaceholderJwt)}, {"x-api-key", ImportedKey}} << 0
        << QStringLiteral("imported");
    QTest::newRow("sk-clb- token, Keygate row") << HeaderList{{"Authorization", bearer(ClbUnderKeygateRow)}} << 401
                                                << QString();
    QTest::newRow("sk-clb- token, Keygate row, x-api-key") << HeaderList{{"x-api-key", ClbUnderKeygateRow}} << 401
                                                           << QString();
    QTest::newRow("sk-kg- token, imported row") << HeaderList{{"Authorization", bearer(KgUnderImportedRow)}} << 401
                                                << QString();
    QTest::newRow("sk-kg- token, imported row, x-api-key") << HeaderList{{"x-api-key", KgUnderImportedRow}} << 401
                                                           << QString();
}

void tst_AuthPipeline::decideAuth_tokenPrefixMustMatchKeyOrigin()
{
    QFETCH(HeaderList, headers);
    QFETCH(int, status);
    QFETCH(QString, keyName);
    const KeySnapshot keys = makeOriginSnapshot();
    const HttpHeaders httpHeaders = toHeaders(headers);
    const AuthDecision decision =
        decideAuth({"POST", "/v1/responses", httpHeaders, QHostAddress::LocalHost}, {true, false}, keys, Now);
    QCOMPARE(decision.status, status);
    QCOMPARE(decision.key ? decision.key->name : QString(), keyName);
    if (status == 401)
        QCOMPARE(decision.message, QStringLiteral("Invalid API key"));
    for (const AuthStep &step : decision.trace.steps)
        QVERIFY2(!step.maskedValue.contains(QString::fromLatin1(ImportedKey.mid(11))), qPrintable(step.maskedValue));
}

void tst_AuthPipeline::mayPresentKnownKey_importedKey_screensByItsStart()
{
    const KeySnapshot keys = makeOriginSnapshot();
    QVERIFY(mayPresentKnownKey(toHeaders({{"Authorization", bearer(ImportedKey)}}), keys));
    QVERIFY(mayPresentKnownKey(toHeaders({{"x-api-key", "sk-clb-ImpoSomethingElseEntirely0000000000000000"}}), keys));
    QVERIFY(!mayPresentKnownKey(toHeaders({{"x-api-key", "sk-clb-XXXXImportedImportedImportedImportedImpor"}}), keys));
    QCOMPARE(maskSecret(ImportedKey), QStringLiteral("sk-clb-Impo\u2026"));
}

QTEST_GUILESS_MAIN(tst_AuthPipeline)
#include "tst_authpipeline.moc"
