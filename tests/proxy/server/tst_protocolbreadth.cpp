// SPDX-License-Identifier: MIT
// Integration: compressed request bodies, compaction and model list shapes, through the real proxy on
// its thread against a FakeUpstream started here.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/support/TestCompression.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Proxy;
using namespace TestSupport;

namespace {

const QByteArray StreamBody = "{\"model\":\"gpt-5.4\",\"stream\":true,\"store\":false,\"input\":[]}";

FakeUpstream::Reply canned()
{
    return FakeUpstream::Reply::sse(FakeUpstream::responsesStream(
        QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")}, {1200, 1000, 80, 30, 1280}));
}

/// A compaction turn as the Codex backend streams it: the item arrives in output_item.done, the
/// terminal response carries an empty output and the usage.
FakeUpstream::Reply compactionStream()
{
    const QJsonObject item{{QStringLiteral("type"), QStringLiteral("compaction")},
                           {QStringLiteral("id"), QStringLiteral("cmp_1")},
                           {QStringLiteral("encrypted_content"), QStringLiteral("gAAAA-summary")}};
    const QJsonObject usage{{QStringLiteral("input_tokens"), 900},
                            {QStringLiteral("input_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), 100}}},
                            {QStringLiteral("output_tokens"), 40},
                            {QStringLiteral("output_tokens_details"), QJsonObject{{QStringLiteral("reasoning_tokens"), 10}}},
                            {QStringLiteral("total_tokens"), 940}};
    const QJsonObject response{{QStringLiteral("id"), QStringLiteral("resp_cmp_1")},
                               {QStringLiteral("object"), QStringLiteral("response")},
                               {QStringLiteral("status"), QStringLiteral("completed")},
                               {QStringLiteral("model"), QStringLiteral("gpt-5.4")},
                               {QStringLiteral("output"), QJsonArray()},
                               {QStringLiteral("usage"), usage}};
    return FakeUpstream::Reply::sse(
        {FakeUpstream::sseEvent("response.created",
                                {{QStringLiteral("type"), QStringLiteral("response.created")},
                                 {QStringLiteral("response"), QJsonObject{{QStringLiteral("id"), QStringLiteral("resp_cmp_1")}}}}),
         FakeUpstream::sseEvent("response.output_item.done", {{QStringLiteral("type"), QStringLiteral("response.output_item.done")},
                                                              {QStringLiteral("output_index"), 0},
                                                              {QStringLiteral("item"), item}}),
         FakeUpstream::sseEvent("response.completed", {{QStringLiteral("type"), QStringLiteral("response.completed")},
                                                       {QStringLiteral("response"), response}})});
}

/// Pi's key as Bearer plus @p extraHeaders; its own network access manager per call.
ProxyResponse post(quint16 port, const QByteArray &path, const QByteArray &body,
                   const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {},
                   const QByteArray &verb = "POST")
{
    QNetworkAccessManager nam;
    return sendToProxy(nam, port, verb, path,
                       QList<QPair<QByteArray, QByteArray>>{
                           {"Authorization", "Bearer " + ProxyTestHarness::PiKey.toByteArray()}} +
                           extraHeaders,
                       body);
}

} // namespace

class tst_ProtocolBreadth final : public QObject
{
    Q_OBJECT

private slots:
    void compressedBody_reachesUpstreamDecoded_data();
    void compressedBody_reachesUpstreamDecoded();
    void compressedBody_corrupt_400();
    void decompressionBomb_413_upstreamUntouched();
    void compact_jsonFromTerminalEvent_data();
    void compact_jsonFromTerminalEvent();
    void compact_upstreamFailed_502();
    void compact_misplacedTrigger_400();
    void compactionTriggerOnMainRoute_reshapedAndStreamed();
    void models_clientVersionQuery_nativeShape();
};

void tst_ProtocolBreadth::compressedBody_reachesUpstreamDecoded_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("zstd") << QByteArray("zstd") << zstd(StreamBody);
    QTest::newRow("gzip") << QByteArray("gzip") << gzip(StreamBody);
    QTest::newRow("deflate zlib") << QByteArray("deflate") << zlibDeflate(StreamBody);
    QTest::newRow("deflate raw") << QByteArray("deflate") << rawDeflate(StreamBody);
    QTest::newRow("gzip then zstd") << QByteArray("gzip, zstd") << zstd(gzip(StreamBody));
}

void tst_ProtocolBreadth::compressedBody_reachesUpstreamDecoded()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, body);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    const ProxyResponse response =
        post(proxy.port, "/backend-api/codex/responses", body, {{"Content-Encoding", encoding}});
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains("response.completed"));
    QCOMPARE(fake.requestCount(), 1);
    const FakeUpstream::Request seen = fake.lastRequest();
    QCOMPARE(seen.body, StreamBody);
    QVERIFY(!seen.headers.contains("content-encoding"));
    QCOMPARE(seen.headers.value("content-length"), QByteArray::number(StreamBody.size()));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.outcome, QStringLiteral("ok"));
    QVERIFY(record.usage);
    QCOMPARE(record.usage->input, 1200);
    QCOMPARE(record.model, QStringLiteral("gpt-5.4"));
}

void tst_ProtocolBreadth::compressedBody_corrupt_400()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    const ProxyResponse response =
        post(proxy.port, "/v1/responses", zstd(StreamBody).chopped(3), {{"Content-Encoding", "zstd"}});
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().value(u"error").toObject().value(u"type").toString(),
             QStringLiteral("invalid_request_error"));
    QCOMPARE(response.errorCode(), QStringLiteral("invalid_compressed_body"));
    QCOMPARE(fake.requestCount(), 0);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().status, 400);
}

void tst_ProtocolBreadth::decompressionBomb_413_upstreamUntouched()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.limits.maxBodyBytes = 1024 * 1024;
    QVERIFY(proxy.startWith(fake, canned()));
    const QByteArray bomb = zstdCompress(zeros(1LL << 30), 1); // 1 GiB of zeros, a few tens of KB
    QVERIFY(bomb.size() < 64 * 1024);
    const ProxyResponse response =
        post(proxy.port, "/backend-api/codex/responses", bomb, {{"Content-Encoding", "zstd"}});
    QCOMPARE(response.status, 413);
    QCOMPARE(response.errorCode(), QStringLiteral("request_too_large"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProtocolBreadth::compact_jsonFromTerminalEvent_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("openai") << QByteArray("/v1/responses/compact");
    QTest::newRow("codex") << QByteArray("/backend-api/codex/responses/compact");
    QTest::newRow("codex v1 alias") << QByteArray("/backend-api/codex/v1/responses/compact");
}

void tst_ProtocolBreadth::compact_jsonFromTerminalEvent()
{
    QFETCH(QByteArray, path);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, compactionStream()));
    const QByteArray body =
        "{\"model\":\"gpt-5.4\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"}],"
        "\"instructions\":\"be brief\",\"tools\":[{\"type\":\"function\",\"name\":\"shell\"}],"
        "\"tool_choice\":\"auto\",\"parallel_tool_calls\":true,\"store\":true}";

    const ProxyResponse response = post(proxy.port, path, gzip(body), {{"Content-Encoding", "gzip"}});
    QCOMPARE(response.status, 200);
    const QJsonObject json = response.json();
    QCOMPARE(json.value(u"id").toString(), QStringLiteral("resp_cmp_1"));
    const QJsonArray output = json.value(u"output").toArray();
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.first().toObject().value(u"type").toString(), QStringLiteral("compaction"));
    QCOMPARE(json.value(u"usage").toObject().value(u"total_tokens").toInt(), 940);

    QCOMPARE(fake.requestCount(), 1);
    const FakeUpstream::Request seen = fake.lastRequest();
    QCOMPARE(seen.path, QByteArray("/codex/responses"));
    QVERIFY(!seen.headers.contains("content-encoding"));
    const QJsonObject sent = QJsonDocument::fromJson(seen.body).object();
    QCOMPARE(sent.value(u"store").toBool(true), false);
    QCOMPARE(sent.value(u"stream").toBool(), true);
    QCOMPARE(sent.value(u"parallel_tool_calls").toBool(true), false);
    QVERIFY(!sent.contains(u"tools"));
    QVERIFY(!sent.contains(u"tool_choice"));
    QCOMPARE(sent.value(u"instructions").toString(), QStringLiteral("be brief"));
    const QJsonArray input = sent.value(u"input").toArray();
    QCOMPARE(input.size(), 2);
    QCOMPARE(input.first().toObject().value(u"role").toString(), QStringLiteral("user"));
    const QJsonObject trigger{{QStringLiteral("type"), QStringLiteral("compaction_trigger")}};
    QCOMPARE(input.last().toObject(), trigger);

    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.status, 200);
    QCOMPARE(record.outcome, QStringLiteral("ok"));
    QCOMPARE(record.route, QString::fromLatin1(path));
    QVERIFY(record.usage);
    QCOMPARE(record.usage->input, 900);
    QCOMPARE(record.usage->output, 40);
    QCOMPARE(record.responseId, QStringLiteral("resp_cmp_1"));
}

void tst_ProtocolBreadth::compact_upstreamFailed_502()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    const QJsonObject error{{QStringLiteral("code"), QStringLiteral("context_length_exceeded")},
                            {QStringLiteral("message"), QStringLiteral("too long")}};
    QVERIFY(proxy.startWith(
        fake, FakeUpstream::Reply::sse({FakeUpstream::sseEvent(
                  "response.failed",
                  {{QStringLiteral("type"), QStringLiteral("response.failed")},
                   {QStringLiteral("response"), QJsonObject{{QStringLiteral("status"), QStringLiteral("failed")},
                                                            {QStringLiteral("error"), error}}}})})));
    const ProxyResponse response = post(proxy.port, "/v1/responses/compact", StreamBody);
    QCOMPARE(response.status, 502);
    QCOMPARE(response.errorCode(), QStringLiteral("context_length_exceeded"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_ProtocolBreadth::compact_misplacedTrigger_400()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, compactionStream()));
    const ProxyResponse response = post(proxy.port, "/backend-api/codex/responses/compact",
                                        "{\"model\":\"gpt-5.4\",\"input\":[{\"type\":\"compaction_trigger\"},"
                                        "{\"type\":\"message\",\"role\":\"user\","
                                        "\"content\":\"hi\"}]}");
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QStringLiteral("invalid_compact_request"));
    QCOMPARE(fake.requestCount(), 0);

    // A trigger the client already put last is kept, not doubled.
    const ProxyResponse ok =
        post(proxy.port, "/backend-api/codex/responses/compact", "{\"model\":\"gpt-5.4\",\"input\":\"hi\"}");
    QCOMPARE(ok.status, 200);
    const QJsonArray input = QJsonDocument::fromJson(fake.lastRequest().body).object().value(u"input").toArray();
    QCOMPARE(input.size(), 2);
    QCOMPARE(input.first().toObject().value(u"role").toString(), QStringLiteral("user"));
}

void tst_ProtocolBreadth::models_clientVersionQuery_nativeShape()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    const QJsonObject catalog{{QStringLiteral("models"), QJsonArray{QJsonObject{{QStringLiteral("slug"), QStringLiteral("gpt-5.4")},
                                                                               {QStringLiteral("context_window"), 272000}}}}};
    fake.setReply("/codex/models", FakeUpstream::Reply::json(catalog));
    QVERIFY(proxy.startWith(fake, canned()));

    const ProxyResponse native = post(proxy.port, "/v1/models?client_version=0.1", {}, {}, "GET");
    QCOMPARE(native.status, 200);
    QCOMPARE(native.json(), catalog);
    const ProxyResponse list = post(proxy.port, "/v1/models", {}, {}, "GET");
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json().value(u"object").toString(), QStringLiteral("list"));
    QCOMPARE(list.json().value(u"data").toArray().first().toObject().value(u"id").toString(), QStringLiteral("gpt-5.4"));
}

void tst_ProtocolBreadth::compactionTriggerOnMainRoute_reshapedAndStreamed()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, compactionStream()));
    const QByteArray body = "{\"model\":\"gpt-5.4\",\"stream\":true,\"tools\":[{\"type\":\"function\",\"name\":\"shell\"}],"
                            "\"store\":true,\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"},"
                            "{\"type\":\"compaction_trigger\"}]}";
    const ProxyResponse streamed = post(proxy.port, "/backend-api/codex/responses", body);
    QCOMPARE(streamed.status, 200);
    QVERIFY(streamed.body.contains("event: response.output_item.done"));
    QVERIFY(streamed.body.contains("\"compaction\""));
    const QJsonObject sent = QJsonDocument::fromJson(fake.lastRequest().body).object();
    QCOMPARE(sent.value(u"store").toBool(true), false);
    QCOMPARE(sent.value(u"parallel_tool_calls").toBool(true), false);
    QVERIFY(!sent.contains(u"tools"));
    const QJsonArray input = sent.value(u"input").toArray();
    QCOMPARE(input.size(), 2); // the client's trigger is kept, not doubled
    QCOMPARE(input.last().toObject().value(u"type").toString(), QStringLiteral("compaction_trigger"));

    const QByteArray misplaced = "{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[{\"type\":\"compaction_trigger\"},"
                                 "{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"}]}";
    const ProxyResponse refused = post(proxy.port, "/backend-api/codex/responses", misplaced);
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.errorCode(), QStringLiteral("invalid_compact_request"));
    QCOMPARE(fake.requestCount(), 1);
}

QTEST_GUILESS_MAIN(tst_ProtocolBreadth)
#include "tst_protocolbreadth.moc"
