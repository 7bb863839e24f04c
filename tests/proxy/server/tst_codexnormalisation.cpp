// SPDX-License-Identifier: MIT
// Integration: ordinary OpenAI Responses clients through the real proxy to a codex-kind account, whose
// FakeUpstream holds requests to the ChatGPT backend's rules (stream true, store false, no plain-API
// fields, no empty tools), and to an OpenAI-kind account, which gets the client's body unchanged.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>

using namespace Proxy;

namespace {

/// What the OpenAI SDK sends for `responses.create({model, input, max_output_tokens, temperature})`.
const QByteArray SdkBody = R"({"model":"gpt-5.4","input":"hi","max_output_tokens":100,"temperature":0.2,"tools":[]})";

QList<QPair<QByteArray, QByteArray>> sdkHeaders()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PiKey.toByteArray()}, {"Accept", "application/json"}};
}

struct Fixture
{
    explicit Fixture(UpstreamConfig::Kind kind = UpstreamConfig::Kind::Codex)
    {
        fake.setDefaultReply(FakeUpstream::Reply::sse(FakeUpstream::responsesStream(
            QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")}, {1200, 1000, 80, 30, 1280})));
        proxy.useUpstream(fake.baseUrl(), kind);
    }
    ProxyResponse post(const QByteArray &body, const QByteArray &route = "/v1/responses")
    {
        return sendToProxy(nam, proxy.port, "POST", route, sdkHeaders(), body);
    }

    FakeUpstream fake;
    ProxyTestHarness proxy;
    QNetworkAccessManager nam;
};

} // namespace

class tst_CodexNormalisation final : public QObject
{
    Q_OBJECT

private slots:
    void sdkBody_noStream_collectedJsonWithUsage();
    void sdkBody_streamTrue_sseFromNormalisedBody();
    void sdkBody_openAiAccount_forwardedUnchanged();
    void previousResponseId_codexOnlyPool_400BeforeUpstream();
    void chatEmptyTools_codexAccount_normalised();
    void chatSamplingFields_codexAccount_droppedAndTraced();
    void compactSdkFields_codexAccount_normalised();
    void strictFake_unnormalisedBody_refusedAsTheBackendDoes();
};

void tst_CodexNormalisation::sdkBody_noStream_collectedJsonWithUsage()
{
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse answered = f.post(SdkBody);
    QCOMPARE(answered.status, 200);
    QVERIFY(answered.header("content-type").startsWith("application/json"));
    const QJsonObject response = answered.json();
    QCOMPARE(response.value(u"id").toString(), QStringLiteral("resp_fake_1"));
    QCOMPARE(response.value(u"usage").toObject().value(u"total_tokens").toInt(), 1280);
    QVERIFY(!response.value(u"output").toArray().isEmpty());
    // What the upstream got: streamed, not stored, without the fields the backend refuses.
    QCOMPARE(f.fake.chatGptRefusals(), 0);
    QCOMPARE(f.fake.lastRequest().body,
             QByteArray(R"({"model":"gpt-5.4","input":"hi","store":false,"stream":true})"));
    QCOMPARE(f.fake.lastRequest().headers.value("accept"), QByteArray("text/event-stream"));
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    const RequestRecord record = f.proxy.allRecords().first();
    QCOMPARE(record.status, 200);
    QCOMPARE(record.outcome, QStringLiteral("ok"));
    QCOMPARE(*record.usage, (TokenUsage{1200, 1000, 80, 30, 1280}));
    const ProxyResponse usage = sendToProxy(f.nam, f.proxy.port, "GET", "/v1/usage", sdkHeaders());
    QCOMPARE(usage.json().value(u"request_count").toInteger(), 1);
    QCOMPARE(usage.json().value(u"total_tokens").toInteger(), 1280);
    // Each change is in the request's trace.
    QTRY_VERIFY(!f.proxy.allTraces().isEmpty());
    const QString policy = f.proxy.allTraces().constLast().policy;
    for (const char *change : {"dropped max_output_tokens", "dropped temperature", "dropped empty tools",
                               "store forced false", "stream forced true"})
        QVERIFY2(policy.contains(QLatin1String(change)), qPrintable(policy));
}

void tst_CodexNormalisation::sdkBody_streamTrue_sseFromNormalisedBody()
{
    Fixture f;
    QVERIFY(f.proxy.start());
    QByteArray body = SdkBody;
    body.insert(1, R"("stream":true,)");
    const ProxyResponse answered = f.post(body);
    QCOMPARE(answered.status, 200);
    QVERIFY(answered.header("content-type").startsWith("text/event-stream"));
    QVERIFY(answered.body.contains("event: response.completed"));
    QCOMPARE(f.fake.chatGptRefusals(), 0);
    QCOMPARE(f.fake.lastRequest().body, QByteArray(R"({"stream":true,"model":"gpt-5.4","input":"hi","store":false})"));
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    QCOMPARE(f.proxy.allRecords().first().usage->total, 1280);
}

void tst_CodexNormalisation::sdkBody_openAiAccount_forwardedUnchanged()
{
    Fixture f(UpstreamConfig::Kind::OpenAI);
    f.fake.setDefaultReply(FakeUpstream::Reply::json(
        {{QStringLiteral("id"), QStringLiteral("resp_1")}, {QStringLiteral("object"), QStringLiteral("response")}}));
    QVERIFY(f.proxy.start());
    const QByteArray body = R"({"model":"gpt-5.4","input":"hi","previous_response_id":"resp_0","store":true,"max_output_tokens":100})";
    const ProxyResponse answered = f.post(body);
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.json().value(u"id").toString(), QStringLiteral("resp_1"));
    QCOMPARE(f.fake.lastRequest().path, QByteArray("/responses"));
    QCOMPARE(f.fake.lastRequest().body, body);
}

void tst_CodexNormalisation::previousResponseId_codexOnlyPool_400BeforeUpstream()
{
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse refused = f.post(R"({"model":"gpt-5.4","input":"hi","previous_response_id":"resp_0"})");
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.error().value(u"param").toString(), QStringLiteral("previous_response_id"));
    QCOMPARE(refused.errorCode(), QStringLiteral("unsupported_parameter"));
    QVERIFY(refused.error().value(u"message").toString().contains(u"store:false"));
    QCOMPARE(f.fake.requestCount(), 0);
}

void tst_CodexNormalisation::chatEmptyTools_codexAccount_normalised()
{
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse answered =
        f.post(R"({"model":"gpt-5.4","messages":[{"role":"user","content":"hi"}],"tools":[]})", "/v1/chat/completions");
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.json().value(u"object").toString(), QStringLiteral("chat.completion"));
    QCOMPARE(f.fake.chatGptRefusals(), 0);
    QVERIFY(!QJsonDocument::fromJson(f.fake.lastRequest().body).object().contains(u"tools"));
}

void tst_CodexNormalisation::chatSamplingFields_codexAccount_droppedAndTraced()
{
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse answered = f.post(
        R"({"model":"gpt-5.4","messages":[{"role":"user","content":"hi"}],"max_tokens":50,"temperature":0.1,"top_p":0.9})",
        "/v1/chat/completions");
    QCOMPARE(answered.status, 200);
    QCOMPARE(f.fake.chatGptRefusals(), 0);
    const QJsonObject sent = QJsonDocument::fromJson(f.fake.lastRequest().body).object();
    QVERIFY(!sent.contains(u"max_output_tokens") && !sent.contains(u"temperature") && !sent.contains(u"top_p"));
    QTRY_VERIFY(!f.proxy.allTraces().isEmpty());
    const QString policy = f.proxy.allTraces().constLast().policy;
    for (const char *change : {"dropped max_output_tokens", "dropped temperature", "dropped top_p"})
        QVERIFY2(policy.contains(QLatin1String(change)), qPrintable(policy));
}

void tst_CodexNormalisation::compactSdkFields_codexAccount_normalised()
{
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse answered = f.post(SdkBody, "/v1/responses/compact");
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.json().value(u"usage").toObject().value(u"total_tokens").toInt(), 1280);
    QCOMPARE(f.fake.chatGptRefusals(), 0);
    const QJsonObject sent = QJsonDocument::fromJson(f.fake.lastRequest().body).object();
    QVERIFY(!sent.contains(u"max_output_tokens") && !sent.contains(u"temperature"));
}

void tst_CodexNormalisation::strictFake_unnormalisedBody_refusedAsTheBackendDoes()
{
    // The fake itself, spoken to directly: what a route that skipped normalisation would meet.
    FakeUpstream fake;
    fake.setDefaultReply(FakeUpstream::Reply::json({}));
    QNetworkAccessManager nam;
    const auto post = [&](const QByteArray &body) {
        QNetworkRequest request(QUrl(fake.baseUrl().toString() + QStringLiteral("/codex/responses")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = nam.post(request, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(5000);
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object().value(u"detail").toString();
    };
    QCOMPARE(post(R"({"stream":true})"), QStringLiteral("Store must be set to false"));
    QCOMPARE(post(R"({"store":false})"), QStringLiteral("Stream must be set to true"));
    QCOMPARE(post(R"({"store":false,"stream":true,"max_output_tokens":1})"),
             QStringLiteral("Unsupported parameter: max_output_tokens"));
    QVERIFY(post(R"({"store":false,"stream":true,"tools":[]})").contains(u"tools"));
    QCOMPARE(post(R"({"store":false,"stream":true})"), QString());
    QCOMPARE(fake.chatGptRefusals(), 4);
    fake.setChatGptRules(false); // a test that wants the raw scripted reply
    QCOMPARE(post(R"({"stream":true})"), QString());
    QCOMPARE(fake.chatGptRefusals(), 4);
}

QTEST_GUILESS_MAIN(tst_CodexNormalisation)
#include "tst_codexnormalisation.moc"
