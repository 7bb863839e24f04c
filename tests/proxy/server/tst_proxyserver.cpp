// SPDX-License-Identifier: MIT
// Integration: the real proxy on its thread, a FakeUpstream started here, real HTTP clients.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>

using namespace Proxy;

namespace {

const QByteArray StreamBody = R"({"model":"gpt-5.4","stream":true,"store":false,"input":[]})";

FakeUpstream::Reply canned(int delayMs = 0)
{
    return FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")},
                                      {1200, 1000, 80, 30, 1280}),
        delayMs);
}

/// Pi's full header set (piClientHeaders() plus the Codex-specific ones and a cookie to strip).
QList<QPair<QByteArray, QByteArray>> piHeaders()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
            {"x-api-key", ProxyTestHarness::PiKey.toByteArray()},
            {"chatgpt-account-id", "proxy"},
            {"originator", "pi"},
            {"session_id", "sess-1"},
            {"Cookie", "secret=1"},
            {"Accept", "text/event-stream"}};
}

} // namespace

class tst_ProxyServer final : public QObject
{
    Q_OBJECT

private slots:
    void responses_sseEventsArriveProgressively();
    void forwarding_clientKeyHeadersNeverReachUpstream();
    void usage_recordedExactlyWhenTerminalEventParsed();
    void usageEndpoint_viaBearerAndApiKey_401Without();
    void disconnectMidStream_upstreamReadOnAndUsageCharged();
    void upstream429_statusRetryAfterAndResetsAtInEnvelope();
    void upstreamRefused_returns502();
    void upstreamStall_returns504();
    void oversizedBody_returns413();
    void invalidJson_returns400();
    void noUpstream_returns503();
    void cost_fromPricingTable_inRecordAndUsage();
    void cost_unknownModel_isUnknownNotZero();
    void streamWithoutTerminal_endsWithResponseFailedAndNullUsage();
    void concurrentStreams_all32ProgressBeforeAnyFinishes();
    void everyResponse_carriesServerTimingAndRequestId();
    void websocketUpgrade_answered101WithAccept();
    void unknownRoute_404Envelope_healthOk();
    void models_openAIListShape();
    void applyKeys_disabledKeyRefusedOnNextRequest();
    void slowClient_upstreamThrottledNotBuffered();
    void codexV1Alias_relayedLikeResponses();
    void wrongMethod_405Envelope();
    void compressedBody_415();
    void nonStreamingJson_usageFromBody();
    void terminalEvents_mapToOutcomes_data();
    void terminalEvents_mapToOutcomes();
    void upstreamIdleAfterHead_endsWithStreamIncomplete();
    void upstreamRedirect_passedBackNotFollowed();
    void upstreamSetCookie_notReturned();
    void deniedRequest_recordedAndTracedWithoutKey();
    void refusedAfterAuth_recordedAsError();
    void models_withoutUpstream_503();
    void frontEndError_carriesRequestIdAndServerTiming();
};

void tst_ProxyServer::responses_sseEventsArriveProgressively()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned(150)));

    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/backend-api/codex/responses").arg(proxy.port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    for (const auto &[name, value] : piHeaders())
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.post(request, StreamBody);
    qint64 firstDeltaAt = -1;
    QByteArray received;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        received += reply->readAll();
        if (firstDeltaAt < 0 && received.contains("response.output_text.delta"))
            firstDeltaAt = FakeUpstream::clockMs();
    });
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    received += reply->readAll();
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(firstDeltaAt > 0);
    QVERIFY2(firstDeltaAt < fake.lastRequest().responseDoneAtMs,
             "the first delta must reach the client before the upstream sent its last event");
    // Bytes unchanged: exactly what the upstream sent, in order.
    QCOMPARE(received, canned().events.join());
    reply->deleteLater();
}

void tst_ProxyServer::forwarding_clientKeyHeadersNeverReachUpstream()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/backend-api/codex/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 200);
    QCOMPARE(fake.requestCount(), 1);
    const FakeUpstream::Request upstream = fake.lastRequest();
    QCOMPARE(upstream.path, QByteArray("/codex/responses"));
    QCOMPARE(upstream.headers.values("authorization"), QList<QByteArray>{"Bearer upstream-token"});
    QCOMPARE(upstream.headers.values("chatgpt-account-id"), QList<QByteArray>{"acct-upstream"});
    QVERIFY(!upstream.headers.contains("x-api-key"));
    QVERIFY(!upstream.headers.contains("cookie"));
    QCOMPARE(upstream.headers.value("accept-encoding"), QByteArray("identity"));
    QCOMPARE(upstream.headers.value("originator"), QByteArray("pi"));
    QCOMPARE(upstream.headers.value("session_id"), QByteArray("sess-1"));
    QCOMPARE(upstream.body, StreamBody);
    for (const auto &[name, value] : upstream.headers.fields())
        QVERIFY2(!value.contains(ProxyTestHarness::PiKey.toByteArray()), name.constData());
}

void tst_ProxyServer::usage_recordedExactlyWhenTerminalEventParsed()
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

void tst_ProxyServer::usageEndpoint_viaBearerAndApiKey_401Without()
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

void tst_ProxyServer::cost_fromPricingTable_inRecordAndUsage()
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

void tst_ProxyServer::cost_unknownModel_isUnknownNotZero()
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

void tst_ProxyServer::disconnectMidStream_upstreamReadOnAndUsageCharged()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned(300)));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, proxy.port);
    QVERIFY(client.waitForConnected(3000));
    client.write(proxy.rawPost("/v1/responses", StreamBody, {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    QTRY_VERIFY_WITH_TIMEOUT((client.waitForReadyRead(50), client.peek(1 << 20).contains("response.created")), 5000);
    client.abort();
    // The hang-up does not end the upstream request: it is read to its usage, which the key is charged.
    QTRY_COMPARE_WITH_TIMEOUT(proxy.allRecords().size(), 1, 10000);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.outcome, QStringLiteral("client_closed"));
    QCOMPARE(record.usageSource, QStringLiteral("upstream"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(TokenUsage{1200, 1000, 80, 30, 1280}));
    QCOMPARE(fake.clientDisconnectCount(), 0);
}

void tst_ProxyServer::upstream429_statusRetryAfterAndResetsAtInEnvelope()
{
    FakeUpstream fake;
    const QJsonObject error{{QStringLiteral("error"),
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("usage_limit_reached")},
                                         {QStringLiteral("message"), QStringLiteral("limit")},
                                         {QStringLiteral("resets_at"), 1900000000}}}};
    FakeUpstream::Reply limited = FakeUpstream::Reply::json(error, 429);
    limited.headers.set("Retry-After", "120");
    fake.setDefaultReply(limited);
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 429);
    QCOMPARE(response.header("retry-after"), QByteArray("120"));
    // Pi shows usage-limit messages from the body: the reason, the type and resets_at stay.
    const QJsonObject expected{{QStringLiteral("type"), QStringLiteral("usage_limit_reached")},
                               {QStringLiteral("message"), QStringLiteral("upstream: limit")},
                               {QStringLiteral("code"), QStringLiteral("upstream_error")},
                               {QStringLiteral("param"), QJsonValue::Null},
                               {QStringLiteral("resets_at"), 1900000000}};
    QCOMPARE(response.error(), expected);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_ProxyServer::upstreamRefused_returns502()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    ProxyTestHarness proxy;
    proxy.useUpstream(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort)));
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 502);
    QCOMPARE(response.json().value(u"error").toObject().value(u"type").toString(), QStringLiteral("server_error"));
}

void tst_ProxyServer::upstreamStall_returns504()
{
    FakeUpstream fake;
    fake.setDefaultReply(FakeUpstream::Reply::stalled());
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    proxy.config.timeouts.firstByteMs = 300;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 504);
    QCOMPARE(response.errorCode(), QStringLiteral("upstream_timeout"));
}

void tst_ProxyServer::oversizedBody_returns413()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    proxy.config.limits.maxBodyBytes = 1024;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), QByteArray(4096, 'x'));
    QCOMPARE(response.status, 413);
    QVERIFY(response.json().contains(u"error"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServer::invalidJson_returns400()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), "{not json");
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().value(u"error").toObject().value(u"type").toString(),
             QStringLiteral("invalid_request_error"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServer::noUpstream_returns503()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 503);
    QCOMPARE(response.errorCode(), QStringLiteral("no_accounts"));
    QVERIFY(response.json().value(u"error").toObject().value(u"message").toString().contains(u"none is configured"));
}

void tst_ProxyServer::streamWithoutTerminal_endsWithResponseFailedAndNullUsage()
{
    FakeUpstream fake;
    FakeUpstream::Reply reply = canned();
    reply.events.removeLast();
    fake.setDefaultReply(reply);
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains("event: response.failed"));
    QVERIFY(response.body.contains("stream_incomplete"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("incomplete"));
    QVERIFY(!proxy.allRecords().first().usage.has_value());
}

void tst_ProxyServer::concurrentStreams_all32ProgressBeforeAnyFinishes()
{
    constexpr int Streams = 32;
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned(400))); // 7 events × 400 ms ≈ 2.8 s per stream
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    QList<qint64> firstEventAt(Streams, -1);
    for (int i = 0; i < Streams; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, proxy.port);
        QTcpSocket *raw = socket.get();
        connect(raw, &QTcpSocket::readyRead, this, [raw, i, &firstEventAt] {
            if (firstEventAt[i] < 0 && raw->peek(1 << 16).contains("response.created"))
                firstEventAt[i] = FakeUpstream::clockMs();
        });
        raw->write(proxy.rawPost("/v1/responses", StreamBody,
                                 {"Authorization: Bearer " + ProxyTestHarness::CiKey.toByteArray()}));
        clients.push_back(std::move(socket));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(firstEventAt.begin(), firstEventAt.end(), [](qint64 t) { return t > 0; }),
                             10000);
    const qint64 lastFirstEvent = *std::max_element(firstEventAt.begin(), firstEventAt.end());
    QTRY_COMPARE_WITH_TIMEOUT(int(proxy.allRecords().size()), Streams, 15000);
    qint64 firstFinish = std::numeric_limits<qint64>::max();
    for (const FakeUpstream::Request &request : fake.requests())
        firstFinish = std::min(firstFinish, request.responseDoneAtMs);
    QCOMPARE(fake.requestCount(), Streams);
    QVERIFY2(lastFirstEvent < firstFinish, "every stream must receive events before any stream finishes");
}

void tst_ProxyServer::everyResponse_carriesServerTimingAndRequestId()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse ok = sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QVERIFY(ok.header("Server-Timing").startsWith("auth;dur="));
    QVERIFY(ok.header("x-request-id").startsWith("req_"));
    const ProxyResponse denied =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", {{"x-request-id", "client-id-7"}}, StreamBody);
    QCOMPARE(denied.status, 401);
    QVERIFY(denied.header("Server-Timing").startsWith("auth;dur="));
    QCOMPARE(denied.header("x-request-id"), QByteArray("client-id-7"));
}

void tst_ProxyServer::websocketUpgrade_answered101WithAccept()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, proxy.port);
    QVERIFY(client.waitForConnected(3000));
    client.write("GET /backend-api/codex/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "x-api-key: " + ProxyTestHarness::PiKey.toByteArray() + "\r\n\r\n");
    QByteArray head;
    QTRY_VERIFY_WITH_TIMEOUT((client.waitForReadyRead(50), head += client.readAll(), head.contains("\r\n\r\n")), 3000);
    QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
    QVERIFY(head.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(head.contains("\r\nUpgrade: websocket\r\n"));
}

void tst_ProxyServer::unknownRoute_404Envelope_healthOk()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse missing = sendToProxy(nam, proxy.port, "GET", "/v1/nothing-here");
    QCOMPARE(missing.status, 404);
    QVERIFY(missing.json().value(u"error").toObject().contains(u"message"));
    const ProxyResponse health = sendToProxy(nam, proxy.port, "GET", "/health");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(u"status").toString(), QStringLiteral("ok"));
}

void tst_ProxyServer::models_openAIListShape()
{
    FakeUpstream fake;
    fake.setReply("/codex/models", FakeUpstream::Reply::json(QJsonObject{
        {QStringLiteral("models"), QJsonArray{QJsonObject{{QStringLiteral("slug"), QStringLiteral("gpt-5.4")}}}}}));
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const QList<QPair<QByteArray, QByteArray>> auth{{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}};
    const ProxyResponse list = sendToProxy(nam, proxy.port, "GET", "/v1/models", auth);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json().value(u"object").toString(), QStringLiteral("list"));
    QCOMPARE(list.json().value(u"data").toArray().first().toObject().value(u"id").toString(), QStringLiteral("gpt-5.4"));
    const ProxyResponse native = sendToProxy(nam, proxy.port, "GET", "/backend-api/codex/models", auth);
    QCOMPARE(native.status, 200);
    QVERIFY(native.json().contains(u"models"));
    QCOMPARE(fake.requestCount(), 1); // cached
}

void tst_ProxyServer::applyKeys_disabledKeyRefusedOnNextRequest()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    proxy.controller.applyKeys(ProxyTestHarness::keys(/*piEnabled*/ false));
    const ProxyResponse denied =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(denied.status, 401);
    QVERIFY(denied.json().value(u"error").toObject().value(u"message").toString().contains(u"disabled"));
}

void tst_ProxyServer::slowClient_upstreamThrottledNotBuffered()
{
    constexpr qint64 UpstreamBytes = 200LL * 1024 * 1024;
    FakeUpstream fake;
    FakeUpstream::Reply huge = FakeUpstream::Reply::huge(UpstreamBytes);
    huge.headers.set("Content-Type", "text/event-stream");
    fake.setDefaultReply(huge);
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QTcpSocket client;
    client.setReadBufferSize(64 * 1024); // a client that reads slowly: its socket buffer fills up
    client.connectToHost(QHostAddress::LocalHost, proxy.port);
    QVERIFY(client.waitForConnected(3000));
    // The native route relays the bytes as they come (/v1's contract: tst_OpenAiSseStream's slow client).
    client.write(proxy.rawPost("/backend-api/codex/responses", StreamBody,
                               {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    QTRY_VERIFY_WITH_TIMEOUT(fake.bytesWritten() > 1024 * 1024, 5000);
    QTest::qWait(1500); // the upstream keeps trying to send; kernel + proxy buffers are all that fill
    const qint64 written = fake.bytesWritten();
    QVERIFY2(written < 32LL * 1024 * 1024, qPrintable(QStringLiteral("upstream sent %1 bytes").arg(written)));
    client.abort();
}

void tst_ProxyServer::codexV1Alias_relayedLikeResponses()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/backend-api/codex/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 200);
    QCOMPARE(fake.lastRequest().path, QByteArray("/codex/responses"));
}

void tst_ProxyServer::wrongMethod_405Envelope()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response = sendToProxy(nam, proxy.port, "DELETE", "/v1/responses", piHeaders());
    QCOMPARE(response.status, 405);
    QCOMPARE(response.errorCode(), QStringLiteral("method_not_allowed"));
}

void tst_ProxyServer::compressedBody_415()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    auto headers = piHeaders();
    headers.append(qMakePair(QByteArray("Content-Encoding"), QByteArray("br"))); // zstd/gzip/deflate are decoded
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", headers, "\x1b\x03\x00");
    QCOMPARE(response.status, 415);
    QCOMPARE(response.errorCode(), QStringLiteral("unsupported_content_encoding"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServer::nonStreamingJson_usageFromBody()
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

void tst_ProxyServer::terminalEvents_mapToOutcomes_data()
{
    QTest::addColumn<QByteArray>("terminal");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<bool>("hasUsage");
    QTest::newRow("response.incomplete") << QByteArray("response.incomplete") << QStringLiteral("incomplete") << true;
    QTest::newRow("response.failed") << QByteArray("response.failed") << QStringLiteral("upstream_error") << false;
    QTest::newRow("error") << QByteArray("error") << QStringLiteral("upstream_error") << false;
}

void tst_ProxyServer::terminalEvents_mapToOutcomes()
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

void tst_ProxyServer::upstreamIdleAfterHead_endsWithStreamIncomplete()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.timeouts.idleMs = 300;
    QVERIFY(proxy.startWith(fake, canned(1500))); // the events come far too slowly
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains("stream_incomplete"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("incomplete"));
}

void tst_ProxyServer::upstreamRedirect_passedBackNotFollowed()
{
    FakeUpstream::Reply redirect;
    redirect.status = 307;
    redirect.headers.append("Location", "http://127.0.0.1:9/elsewhere");
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, redirect));
    QNetworkAccessManager nam;
    nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 307);
    QCOMPARE(response.header("Location"), QByteArray("http://127.0.0.1:9/elsewhere"));
    QCOMPARE(fake.requestCount(), 1);
}

void tst_ProxyServer::upstreamSetCookie_notReturned()
{
    FakeUpstream::Reply reply = canned();
    reply.headers.append("Set-Cookie", "__cf_bm=abc; Path=/");
    reply.headers.append("x-codex-primary-used-percent", "12");
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply));
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 200);
    QVERIFY(response.header("Set-Cookie").isEmpty());
    QCOMPARE(response.header("x-codex-primary-used-percent"), QByteArray("12"));
}

void tst_ProxyServer::deniedRequest_recordedAndTracedWithoutKey()
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

void tst_ProxyServer::refusedAfterAuth_recordedAsError()
{
    ProxyTestHarness proxy; // no upstream
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 503);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("error"));
    QCOMPARE(proxy.allRecords().first().keyId, 1);
}

void tst_ProxyServer::models_withoutUpstream_503()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response = sendToProxy(nam, proxy.port, "GET", "/v1/models",
                                               {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(response.status, 503);
    QCOMPARE(response.errorCode(), QStringLiteral("no_accounts"));
}

void tst_ProxyServer::frontEndError_carriesRequestIdAndServerTiming()
{
    ProxyTestHarness proxy;
    proxy.config.limits.maxBodyBytes = 16;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), QByteArray(64, 'x'));
    QCOMPARE(response.status, 413);
    QVERIFY(response.header("x-request-id").startsWith("req_"));
    QVERIFY(response.header("Server-Timing").startsWith("auth;dur="));
}

QTEST_GUILESS_MAIN(tst_ProxyServer)
#include "tst_proxyserver.moc"
