// SPDX-License-Identifier: MIT
// Unit: an upstream error answer rewritten as the OpenAI error envelope (UpstreamErrorEnvelope).
#include "proxy/relay/UpstreamErrorEnvelope.h"

#include <QJsonDocument>
#include <QTest>

using namespace Proxy;

namespace {

QJsonObject error(int status, const QByteArray &body, const QByteArrayList &secrets = {})
{
    return UpstreamErrorEnvelope(status, body, secrets).error();
}

QString message(int status, const QByteArray &body, const QByteArrayList &secrets = {})
{
    return error(status, body, secrets).value(u"message").toString();
}

} // namespace

class tst_UpstreamErrorEnvelope final : public QObject
{
    Q_OBJECT

private slots:
    void chatgptDetail_reasonInOpenAiEnvelope();
    void chatgptDetailObjectOrList_messageUsed();
    void openAiError_typeCodeParamKept();
    void openAiErrorWithoutCode_upstreamErrorCode();
    void usageLimit_resetsAtAndResetsInSecondsKept();
    void plainText_controlCharsStripped_cappedAt500();
    void emptyBody_statusSentence();
    void statusMapping_typeFromStatus_data();
    void statusMapping_typeFromStatus();
    void secrets_echoedCredentialsMasked_data();
    void secrets_echoedCredentialsMasked();
    void headers_bodyDescriptionReplaced_restKept();
    void clientCredentials_bearerAndApiKey();
};

void tst_UpstreamErrorEnvelope::chatgptDetail_reasonInOpenAiEnvelope()
{
    const UpstreamErrorEnvelope envelope(400, R"({"detail":"Store must be set to false"})");
    QCOMPARE(envelope.status(), 400);
    QCOMPARE(envelope.body(), QByteArray(R"({"error":{"code":"upstream_error","message":"upstream: Store must be set to false",)"
                                         R"("param":null,"type":"invalid_request_error"}})"));
}

void tst_UpstreamErrorEnvelope::chatgptDetailObjectOrList_messageUsed()
{
    QCOMPARE(message(400, R"({"detail":{"message":"Unsupported parameter: max_output_tokens","code":"x"}})"),
             QStringLiteral("upstream: Unsupported parameter: max_output_tokens"));
    QCOMPARE(message(422, R"({"detail":[{"loc":["body","input"],"msg":"field required"}]})"),
             QStringLiteral("upstream: field required"));
    QCOMPARE(message(400, R"({"error":"bad things"})"), QStringLiteral("upstream: bad things"));
    QCOMPARE(message(400, R"({"message":"top-level message"})"), QStringLiteral("upstream: top-level message"));
}

void tst_UpstreamErrorEnvelope::openAiError_typeCodeParamKept()
{
    const QJsonObject e = error(400, R"({"error":{"message":"This model's maximum context length is 8192 tokens.",)"
                                     R"("type":"invalid_request_error","code":"context_length_exceeded","param":"input"}})");
    QCOMPARE(e.value(u"message").toString(), QStringLiteral("upstream: This model's maximum context length is 8192 tokens."));
    QCOMPARE(e.value(u"type").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(e.value(u"code").toString(), QStringLiteral("context_length_exceeded"));
    QCOMPARE(e.value(u"param").toString(), QStringLiteral("input"));
}

void tst_UpstreamErrorEnvelope::openAiErrorWithoutCode_upstreamErrorCode()
{
    const QJsonObject e = error(400, R"({"error":{"message":"nope","type":"invalid_request_error","code":null,"param":null}})");
    QCOMPARE(e.value(u"code").toString(), QStringLiteral("upstream_error"));
    QVERIFY(e.value(u"param").isNull());
    QVERIFY(e.contains(u"param"));
}

void tst_UpstreamErrorEnvelope::usageLimit_resetsAtAndResetsInSecondsKept()
{
    const QJsonObject e = error(429, R"({"error":{"type":"usage_limit_reached","message":"The usage limit has been reached",)"
                                     R"("plan_type":"plus","resets_at":1900000000,"resets_in_seconds":3600,"other":"x"}})");
    QCOMPARE(e.value(u"type").toString(), QStringLiteral("usage_limit_reached"));
    QCOMPARE(e.value(u"code").toString(), QStringLiteral("upstream_error"));
    QCOMPARE(e.value(u"resets_at").toInteger(), 1900000000);
    QCOMPARE(e.value(u"resets_in_seconds").toInt(), 3600);
    QCOMPARE(e.value(u"plan_type").toString(), QStringLiteral("plus"));
    QVERIFY(!e.contains(u"other"));
}

void tst_UpstreamErrorEnvelope::plainText_controlCharsStripped_cappedAt500()
{
    QCOMPARE(message(502, "Bad\r\n\tgateway\x01\x1b[31m  here\n"), QStringLiteral("upstream: Bad gateway [31m here"));
    const QString long_ = message(500, QByteArray(5000, 'a'));
    QCOMPARE(long_.size(), QStringLiteral("upstream: ").size() + UpstreamErrorEnvelope::MaxReasonChars);
    const QString longJson = message(400, R"({"detail":")" + QByteArray(2000, 'b') + R"("})");
    QCOMPARE(longJson.size(), QStringLiteral("upstream: ").size() + UpstreamErrorEnvelope::MaxReasonChars);
}

void tst_UpstreamErrorEnvelope::emptyBody_statusSentence()
{
    const QJsonObject e = error(502, {});
    QCOMPARE(e.value(u"message").toString(), QStringLiteral("upstream: HTTP 502 from the upstream"));
    QCOMPARE(e.value(u"type").toString(), QStringLiteral("server_error"));
    QCOMPARE(message(503, " \r\n "), QStringLiteral("upstream: HTTP 503 from the upstream"));
    QCOMPARE(message(400, R"({"detail":""})"), QStringLiteral("upstream: HTTP 400 from the upstream"));
}

void tst_UpstreamErrorEnvelope::statusMapping_typeFromStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::newRow("400") << 400 << QStringLiteral("invalid_request_error");
    QTest::newRow("401") << 401 << QStringLiteral("authentication_error");
    QTest::newRow("403") << 403 << QStringLiteral("authentication_error");
    QTest::newRow("404") << 404 << QStringLiteral("invalid_request_error");
    QTest::newRow("429") << 429 << QStringLiteral("rate_limit_error");
    QTest::newRow("500") << 500 << QStringLiteral("server_error");
    QTest::newRow("503") << 503 << QStringLiteral("server_error");
}

void tst_UpstreamErrorEnvelope::statusMapping_typeFromStatus()
{
    QFETCH(int, status);
    QFETCH(QString, type);
    const QJsonObject e = error(status, R"({"detail":"x"})");
    QCOMPARE(e.value(u"type").toString(), type);
    QCOMPARE(e.value(u"code").toString(), QStringLiteral("upstream_error"));
}

void tst_UpstreamErrorEnvelope::secrets_echoedCredentialsMasked_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("secret");
    const QByteArray ours = "upstream-token-Zq81";
    QTest::newRow("our token, exact") << QByteArray("Invalid token upstream-token-Zq81 given") << ours;
    QTest::newRow("our token in type") << QByteArray(R"({"error":{"message":"m","type":"upstream-token-Zq81"}})") << ours;
    QTest::newRow("our token in code") << QByteArray(R"({"error":{"message":"m","code":"upstream-token-Zq81"}})") << ours;
    QTest::newRow("our token in param") << QByteArray(R"({"error":{"message":"m","param":"upstream-token-Zq81"}})") << ours;
    QTest::newRow("client key, exact") << QByteArray(R"({"detail":"key sk-kg-AbCdEfGh1234 refused"})")
                                       << QByteArray("sk-kg-AbCdEfGh1234");
    QTest::newRow("sk key, unknown") << QByteArray("Incorrect API key provided: sk-proj-abcdefghijklmnop.")
                                     << QByteArray("sk-proj-abcdefghijklmnop");
    QTest::newRow("bearer") << QByteArray("Authorization: Bearer opaque.Secret_Value rejected") << QByteArray("opaque.Secret_Value");
    QTest::newRow("jwt") << QByteArray(R"({"detail":"token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl expired"})")
                         << QByteArray("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
}

void tst_UpstreamErrorEnvelope::secrets_echoedCredentialsMasked()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, secret);
    const UpstreamErrorEnvelope envelope(401, body, {"upstream-token-Zq81", "sk-kg-AbCdEfGh1234"});
    QVERIFY2(!envelope.body().contains(secret), envelope.body().constData());
    QVERIFY2(!envelope.body().contains(secret.left(12)), envelope.body().constData());
    QVERIFY(envelope.body().contains("[redacted]"));
}

void tst_UpstreamErrorEnvelope::headers_bodyDescriptionReplaced_restKept()
{
    HttpHeaders returnable;
    returnable.append("Content-Type", "text/html; charset=utf-8");
    returnable.append("Content-Encoding", "gzip");
    returnable.append("Retry-After", "30");
    returnable.append("x-codex-primary-used-percent", "100");
    const HttpHeaders out = UpstreamErrorEnvelope::headers(returnable);
    QCOMPARE(out.value("content-type"), QByteArray("application/json"));
    QVERIFY(!out.contains("content-encoding"));
    QCOMPARE(out.value("retry-after"), QByteArray("30"));
    QCOMPARE(out.value("x-codex-primary-used-percent"), QByteArray("100"));
}

void tst_UpstreamErrorEnvelope::clientCredentials_bearerAndApiKey()
{
    HttpHeaders request;
    request.append("Authorization", "Bearer sk-kg-one");
    request.append("x-api-key", "sk-kg-two");
    QCOMPARE(UpstreamErrorEnvelope::clientCredentials(request), (QByteArrayList{"sk-kg-one", "sk-kg-two"}));
    QVERIFY(UpstreamErrorEnvelope::clientCredentials({}).isEmpty());
}

QTEST_GUILESS_MAIN(tst_UpstreamErrorEnvelope)
#include "tst_upstreamerrorenvelope.moc"
