// SPDX-License-Identifier: MIT
// Integration: the real proxy on its thread, a FakeUpstream started here, real HTTP clients.
// The relay: forwarding, SSE streams, concurrency, backpressure, routes. Error answers:
// tst_proxyservererrors.cpp; usage records and costs: tst_proxyserverusage.cpp.
#include "tests/proxy/server/ProxyServerTestSupport.h"
#include "tests/proxy/server/ProxyTestClient.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Proxy;
using namespace TestSupport;

class tst_ProxyServer final : public QObject
{
    Q_OBJECT

private slots:
    void responses_sseEventsArriveProgressively();
    void forwarding_clientKeyHeadersNeverReachUpstream();
    void disconnectMidStream_upstreamReadOnAndUsageCharged();
    void streamWithoutTerminal_endsWithResponseFailedAndEstimate();
    void concurrentStreams_all32ProgressBeforeAnyFinishes();
    void websocketUpgrade_answered101WithAccept();
    void unknownRoute_404Envelope_healthOk();
    void models_openAIListShape();
    void slowClient_upstreamThrottledNotBuffered();
    void codexV1Alias_relayedLikeResponses();
    void upstreamIdleAfterHead_endsWithStreamIncomplete();
    void upstreamSetCookie_notReturned();
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

void tst_ProxyServer::streamWithoutTerminal_endsWithResponseFailedAndEstimate()
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
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
    QCOMPARE(proxy.allRecords().first().usageSource, QStringLiteral("estimate"));
    QVERIFY(proxy.allRecords().first().usage.has_value());
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
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
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

QTEST_GUILESS_MAIN(tst_ProxyServer)
#include "tst_proxyserver.moc"
