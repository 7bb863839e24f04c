// SPDX-License-Identifier: MIT
// Integration: the real proxy on its thread, a FakeUpstream started here, real HTTP clients.
// Usage accounting: request records, the /v1/usage endpoint, costs, outcomes of terminal events.
// The relay itself: tst_proxyserver.cpp.
#include "tests/proxy/server/ProxyServerTestSupport.h"
#include "tests/proxy/server/ProxyTestClient.h"

#include <QJsonObject>
#include <QNetworkAccessManager>

using namespace Proxy;
using namespace TestSupport;

class tst_ProxyServerUsage final : public QObject
{
    Q_OBJECT

private slots:
    void usage_recordedExactlyWhenTerminalEventParsed();
    void usageEndpoint_viaBearerAndApiKey_401Without();
    void cost_fromPricingTable_inRecordAndUsage();
    void cost_unknownModel_isUnknownNotZero();
    void nonStreamingJson_usageFromBody();
    void terminalEvents_mapToOutcomes_data();
    void terminalEvents_mapToOutcomes();
    void deniedRequest_recordedAndTracedWithoutKey();
    void refusedAfterAuth_recordedAsError();
};

void tst_ProxyServerUsage::usage_recordedExactlyWhenTerminalEventParsed()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(
        sendToProxy(nam, proxy.port, "POST", "/backend-api/codex/responses", piHeaders(), StreamBody).status,
        200);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.keyId, 1);
    QCOMPARE(record.authSource, QStringLiteral("x-api-key"));
    QCOMPARE(record.outcome, QStringLiteral("ok"));
    QCOMPARE(record.status, 200);
    QCOMPARE(record.model, QStringLiteral("gpt-5.4"));
    QVERIFY(record.usage.has_value());
    QCOMPARE(*record.usage, (TokenUsage{1200, 1000, 80, 30, 1280}));
    QVERIFY(record.ttfbMs.has_value());
    QCOMPARE(record.bytesIn, StreamBody.size());
    QVERIFY(record.bytesOut > 0);
}

void tst_ProxyServerUsage::usageEndpoint_viaBearerAndApiKey_401Without()
{
    FakeUpstream fake;
    fake.setDefaultReply(canned());
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    proxy.config.requireKey = false; // /v1/usage needs a key anyway
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    const ProxyResponse viaBearer =
        sendToProxy(nam, proxy.port, "GET", "/v1/usage",
                    {{"Authorization", "Bearer " + ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(viaBearer.status, 200);
    QCOMPARE(viaBearer.json().value(u"request_count").toInteger(), 1);
    QCOMPARE(viaBearer.json().value(u"total_tokens").toInteger(), 1280);
    QCOMPARE(viaBearer.json().value(u"cached_input_tokens").toInteger(), 1000);
    QCOMPARE(viaBearer.json().value(u"reasoning_tokens").toInteger(), 30);
    QCOMPARE(viaBearer.json().value(u"key").toObject().value(u"name").toString(), QStringLiteral("pi-laptop"));
    const ProxyResponse viaApiKey = sendToProxy(nam, proxy.port, "GET", "/v1/usage",
                                                {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(viaApiKey.status, 200);
    QCOMPARE(viaApiKey.json(), viaBearer.json());
    const ProxyResponse without = sendToProxy(nam, proxy.port, "GET", "/v1/usage");
    QCOMPARE(without.status, 401);
    QCOMPARE(without.errorCode(), QStringLiteral("invalid_api_key"));
}

void tst_ProxyServerUsage::cost_fromPricingTable_inRecordAndUsage()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.pricing = std::make_shared<const PricingTable>(*PricingTable::fromJson(
        "{\"models\":{\"gpt-5.4*\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15}}}"));
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    // 200 billable input × 2.5 + 1000 cached × 0.25 + 80 output × 15 = 1950 micro-dollars
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().constFirst().costMicros, std::optional<qint64>(1950));
    const ProxyResponse usage = sendToProxy(nam, proxy.port, "GET", "/v1/usage",
                                            {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(usage.json().value(u"total_cost_usd").toDouble(), 0.00195);
}

void tst_ProxyServerUsage::cost_unknownModel_isUnknownNotZero()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.pricing = std::make_shared<const PricingTable>(
        *PricingTable::fromJson("{\"models\":{\"gpt-image-2\":{\"input\":5,\"output\":30}}}"));
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QVERIFY(proxy.allRecords().constFirst().usage.has_value());
    QVERIFY(!proxy.allRecords().constFirst().costMicros.has_value());
}

void tst_ProxyServerUsage::nonStreamingJson_usageFromBody()
{
    const QJsonObject usage{{QStringLiteral("input_tokens"), 50},
                            {QStringLiteral("input_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), 20}}},
                            {QStringLiteral("output_tokens"), 7},
                            {QStringLiteral("output_tokens_details"), QJsonObject{{QStringLiteral("reasoning_tokens"), 3}}},
                            {QStringLiteral("total_tokens"), 57}};
    const QJsonObject body{{QStringLiteral("id"), QStringLiteral("resp_json")},
                           {QStringLiteral("model"), QStringLiteral("gpt-5.4-mini")},
                           {QStringLiteral("status"), QStringLiteral("completed")},
                           {QStringLiteral("usage"), usage}};
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json(body)));
    QNetworkAccessManager nam;
    const ProxyResponse response = sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(),
                                               R"({"model":"gpt-5.4-mini","input":"hi"})");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json(), body);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.outcome, QStringLiteral("ok"));
    QCOMPARE(record.responseId, QStringLiteral("resp_json"));
    QCOMPARE(*record.usage, (TokenUsage{50, 20, 7, 3, 57}));
}

void tst_ProxyServerUsage::terminalEvents_mapToOutcomes_data()
{
    QTest::addColumn<QByteArray>("terminal");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<bool>("hasUsage");
    QTest::newRow("response.incomplete") << QByteArray("response.incomplete") << QStringLiteral("incomplete") << true;
    QTest::newRow("response.failed") << QByteArray("response.failed") << QStringLiteral("upstream_error") << false;
    QTest::newRow("error") << QByteArray("error") << QStringLiteral("upstream_error") << false;
}

void tst_ProxyServerUsage::terminalEvents_mapToOutcomes()
{
    QFETCH(QByteArray, terminal);
    QFETCH(QString, outcome);
    QFETCH(bool, hasUsage);
    QJsonObject response{{QStringLiteral("id"), QStringLiteral("resp_t")}, {QStringLiteral("status"), QString()}};
    if (hasUsage)
        response.insert(QStringLiteral("usage"), QJsonObject{{QStringLiteral("input_tokens"), 9},
                                                             {QStringLiteral("output_tokens"), 1},
                                                             {QStringLiteral("total_tokens"), 10}});
    const QJsonObject data = terminal == "error"
                                 ? QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                               {QStringLiteral("code"), QStringLiteral("server_error")}}
                                 : QJsonObject{{QStringLiteral("type"), QString::fromLatin1(terminal)},
                                               {QStringLiteral("response"), response}};
    QList<QByteArray> events = canned().events;
    events.last() = FakeUpstream::sseEvent(terminal, data);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::sse(events)));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, outcome);
    QCOMPARE(proxy.allRecords().first().usage.has_value(), hasUsage);
}

void tst_ProxyServerUsage::deniedRequest_recordedAndTracedWithoutKey()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const QList<QPair<QByteArray, QByteArray>> headers{
        {"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()}};
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", headers, StreamBody).status, 401);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("denied"));
    QCOMPARE(proxy.allRecords().first().keyId, 0);
    QTRY_COMPARE(proxy.allTraces().size(), 1);
    const AuthTrace trace = proxy.allTraces().first();
    QCOMPARE(trace.status, 401);
    QCOMPARE(trace.peer, QStringLiteral("127.0.0.1"));
    QCOMPARE(trace.path, QStringLiteral("/v1/responses"));
    QCOMPARE(trace.summary(), QStringLiteral("Bearer unknown (JWT-shaped \u2026sig) \u2192 401 Invalid API key"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServerUsage::refusedAfterAuth_recordedAsError()
{
    ProxyTestHarness proxy; // no upstream
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 503);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("error"));
    QCOMPARE(proxy.allRecords().first().keyId, 1);
}

QTEST_GUILESS_MAIN(tst_ProxyServerUsage)
#include "tst_proxyserverusage.moc"
