// SPDX-License-Identifier: MIT
// Integration: upstream error answers reach the client as the OpenAI envelope with the upstream's reason
// and status — the real proxy thread, a FakeUpstream started here, and a real HTTP client.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Proxy;

namespace {

const QByteArray StreamBody = R"({"model":"gpt-5.4","stream":true,"store":false,"input":[]})";

QList<QPair<QByteArray, QByteArray>> clientHeaders()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
            {"x-api-key", ProxyTestHarness::PiKey.toByteArray()},
            {"Accept", "text/event-stream"}};
}

ProxyResponse post(quint16 port, const QByteArray &path = "/v1/responses", const QByteArray &body = StreamBody)
{
    QNetworkAccessManager nam;
    return sendToProxy(nam, port, "POST", path, clientHeaders(), body);
}

FakeUpstream::Reply reply(int status, const QByteArray &contentType, const QByteArray &body)
{
    FakeUpstream::Reply out;
    out.status = status;
    out.headers.set("Content-Type", contentType);
    out.body = body;
    return out;
}

} // namespace

class tst_UpstreamErrors final : public QObject
{
    Q_OBJECT

private slots:
    void chatgpt400Detail_envelopeWithReasonStatusAndHeaders();
    void openAi400WithParam_typeCodeParamKept();
    void text500_lastAnswerAsServerErrorEnvelope();
    void chatCompletions400Detail_sameEnvelope();
    void compact400Detail_sameEnvelope();
    void refusalCutShort_whatArrivedIsTheReason();
    void echoedCredentials_neverReachTheClient_data();
    void echoedCredentials_neverReachTheClient();
};

void tst_UpstreamErrors::chatgpt400Detail_envelopeWithReasonStatusAndHeaders()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    FakeUpstream::Reply refusal = reply(400, "application/json", R"({"detail":"Store must be set to false"})");
    refusal.headers.set("x-codex-primary-used-percent", "12");
    QVERIFY(proxy.startWith(fake, refusal));
    const ProxyResponse response = post(proxy.port);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.body, QByteArray(R"({"error":{"code":"upstream_error","message":"upstream: Store must be set to false",)"
                                       R"("param":null,"type":"invalid_request_error"}})"));
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    QCOMPARE(response.header("content-length"), QByteArray::number(response.body.size()));
    QCOMPARE(response.header("x-codex-primary-used-percent"), QByteArray("12"));
    QVERIFY(!response.header("x-request-id").isEmpty());
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().status, 400);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_UpstreamErrors::openAi400WithParam_typeCodeParamKept()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply(400, "application/json; charset=utf-8",
                                        R"({"error":{"message":"Unsupported parameter: 'temperature'.",)"
                                        R"("type":"invalid_request_error","param":"temperature","code":"unsupported_parameter"}})")));
    const ProxyResponse response = post(proxy.port);
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.error();
    QCOMPARE(error.value(u"message").toString(), QStringLiteral("upstream: Unsupported parameter: 'temperature'."));
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("unsupported_parameter"));
    QCOMPARE(error.value(u"param").toString(), QStringLiteral("temperature"));
}

void tst_UpstreamErrors::text500_lastAnswerAsServerErrorEnvelope()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    FakeUpstream::Reply broken = reply(500, "text/plain", "Internal Server Error\n\nupstream connect error");
    broken.headers.set("Retry-After", "7");
    QVERIFY(proxy.startWith(fake, broken));
    const ProxyResponse response = post(proxy.port);
    QCOMPARE(response.status, 500);
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    QCOMPARE(response.header("content-length"), QByteArray::number(response.body.size()));
    QCOMPARE(response.header("retry-after"), QByteArray("7"));
    const QJsonObject error = response.error();
    QCOMPARE(error.value(u"message").toString(), QStringLiteral("upstream: Internal Server Error upstream connect error"));
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("server_error"));
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_error"));
    QVERIFY(error.contains(u"param"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_UpstreamErrors::chatCompletions400Detail_sameEnvelope()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply(400, "application/json", R"({"detail":"Store must be set to false"})")));
    const ProxyResponse response = post(proxy.port, "/v1/chat/completions",
                                        R"({"model":"gpt-5.4","stream":true,"messages":[{"role":"user","content":"Hi"}]})");
    QCOMPARE(response.status, 400);
    QCOMPARE(response.error().value(u"message").toString(), QStringLiteral("upstream: Store must be set to false"));
    QCOMPARE(response.error().value(u"code").toString(), QStringLiteral("upstream_error"));
}

void tst_UpstreamErrors::compact400Detail_sameEnvelope()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply(400, "application/json", R"({"detail":"Store must be set to false"})")));
    const ProxyResponse response = post(proxy.port, "/v1/responses/compact",
                                        R"({"model":"gpt-5.4","input":[{"role":"user","content":"Hi"}]})");
    QCOMPARE(response.status, 400);
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    QCOMPARE(response.error().value(u"message").toString(), QStringLiteral("upstream: Store must be set to false"));
    QCOMPARE(response.error().value(u"code").toString(), QStringLiteral("upstream_error"));
}

void tst_UpstreamErrors::refusalCutShort_whatArrivedIsTheReason()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    FakeUpstream::Reply cut;
    cut.status = 400;
    cut.headers.set("Content-Type", "text/plain");
    cut.hugeBodyBytes = 4000;
    cut.closeAfterBodyBytes = 100;
    QVERIFY(proxy.startWith(fake, cut));
    const ProxyResponse response = post(proxy.port);
    QCOMPARE(response.networkError, QNetworkReply::ProtocolInvalidOperationError); // QNAM's name for a 400
    QCOMPARE(response.status, 400);
    QVERIFY2(response.error().value(u"message").toString().startsWith(u"upstream: xxx"), response.body.constData());
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_UpstreamErrors::echoedCredentials_neverReachTheClient_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("400, relayed") << 400;
    QTest::newRow("403, relayed") << 403;
    QTest::newRow("500, after failover") << 500;
}

void tst_UpstreamErrors::echoedCredentials_neverReachTheClient()
{
    // A hostile or careless upstream repeats every header it got, and the client's own, in its reason.
    QFETCH(int, status);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, {}));
    fake.setHandler([status](const FakeUpstream::Request &request) {
        QByteArray echo = "refused:";
        for (const auto &[name, value] : request.headers.fields())
            echo += ' ' + name + '=' + value;
        echo += " client key " + ProxyTestHarness::PiKey.toByteArray();
        return reply(status, "text/plain", echo);
    });
    const ProxyResponse response = post(proxy.port);
    QCOMPARE(response.status, status);
    QVERIFY2(response.error().value(u"message").toString().startsWith(u"upstream: refused:"), response.body.constData());
    QVERIFY2(!response.body.contains("upstream-token"), response.body.constData());
    QVERIFY2(!response.body.contains(ProxyTestHarness::PiKey.toByteArray()), response.body.constData());
    QVERIFY2(!response.body.contains(ProxyTestHarness::PiKey.first(12).toByteArray()), response.body.constData());
}

QTEST_GUILESS_MAIN(tst_UpstreamErrors)
#include "tst_upstreamerrors.moc"
