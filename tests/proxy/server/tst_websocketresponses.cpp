// SPDX-License-Identifier: MIT
// Integration: the Responses API over a WebSocket — the real proxy, a FakeUpstream started here, and a
// real WebSocket client (QWebSocket) or raw TCP for refused handshakes.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QJsonArray>
#include <QWebSocket>

using namespace Proxy;

namespace {

const QByteArray Turn = R"({"type":"response.create","model":"gpt-5.4","stream":true,"store":false,"input":[]})";

FakeUpstream::Reply canned(int delayMs = 0)
{
    return FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")},
                                      {1200, 1000, 80, 30, 1280}),
        delayMs);
}

/// A connected QWebSocket and every text message it received, as JSON objects.
struct WsClient
{
    explicit WsClient(quint16 port, const QList<QPair<QByteArray, QByteArray>> &headers,
                      const QByteArray &path = "/backend-api/codex/responses")
    {
        QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port) + QString::fromLatin1(path)));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &message) {
            messages.append(QJsonDocument::fromJson(message.toUtf8()).object());
        });
        socket.open(request);
    }
    bool waitConnected() { return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000); }
    bool waitForType(const QString &type, int count = 1)
    {
        return QTest::qWaitFor([&] { return typeCount(type) >= count; }, 10000);
    }
    int typeCount(const QString &type) const
    {
        return int(std::count_if(messages.cbegin(), messages.cend(),
                                 [&](const QJsonObject &m) { return m.value(u"type").toString() == type; }));
    }

    QWebSocket socket;
    QList<QJsonObject> messages;
};

/// JSON written with single quotes (moc and raw string literals do not mix); no apostrophes inside.
QByteArray j(QByteArray text)
{
    return text.replace('\'', '"');
}

/// Pi's key, allowed only gpt-5.4-mini at effort low.
KeySnapshotPtr miniLowKeys()
{
    KeyPolicy policy;
    policy.allowedModels = {QStringLiteral("gpt-5.4-mini")};
    policy.allowedEfforts = {QStringLiteral("low")};
    return ProxyTestHarness::keys(true, policy);
}

QList<QPair<QByteArray, QByteArray>> piHeaders()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
            {"x-api-key", ProxyTestHarness::PiKey.toByteArray()},
            {"OpenAI-Beta", "responses_websockets=2026-02-06"}};
}

} // namespace

class tst_WebSocketResponses final : public QObject
{
    Q_OBJECT

private slots:
    void handshake_viaBearer_eventsArriveAsTextFrames();
    void handshake_viaXApiKeyFallback();
    void handshake_refusedBeforeUpgrade_401JsonNo101();
    void multiTurn_eachTurnARequestWithUsage();
    void keyPolicy_refusesATurn_socketStaysOpen();
    void upstreamFailure_closes1011WithReason();
    void upstreamRefusal_errorEventCarriesReason_socketStaysOpen();
    void idleSocket_closedAfterTimeout();
    void badMessages_errorEventsSocketStaysOpen();
    void clientCloses_midTurn_upstreamReadOnAndUsageCharged();
    void escapedOrDuplicateNames_refusedOrJudgedDecoded_nothingForwarded();
    void escapedTypeAndModel_turnCutAndJudgedAsTheUpstreamReadsIt();
    void sdkFields_codexAccount_normalisedAndStreamed();
    void v1Route_codexAccount_openAiContract_backendRouteUnchanged();
};

void tst_WebSocketResponses::handshake_viaBearer_eventsArriveAsTextFrames()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, {{"Authorization", "Bearer " + ProxyTestHarness::CiKey.toByteArray()}}, "/v1/responses");
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("response.completed")));
    QCOMPARE(client.messages.first().value(u"type").toString(), QStringLiteral("response.created"));
    QCOMPARE(client.typeCount(QStringLiteral("response.output_text.delta")), 2);
    // Upstream got the turn as a POST: the body without "type", no client key, the pool's own token.
    QCOMPARE(fake.requestCount(), 1);
    const FakeUpstream::Request upstream = fake.lastRequest();
    QCOMPARE(upstream.method, QByteArray("POST"));
    const QJsonObject body = QJsonDocument::fromJson(upstream.body).object();
    QVERIFY(!body.contains(u"type"));
    QCOMPARE(body.value(u"model").toString(), QStringLiteral("gpt-5.4"));
    QVERIFY(!upstream.headers.value("authorization").contains(ProxyTestHarness::CiKey.toByteArray()));
    QVERIFY(!upstream.headers.contains("sec-websocket-key"));
    QVERIFY(!upstream.headers.contains("upgrade"));
}

void tst_WebSocketResponses::handshake_viaXApiKeyFallback()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("response.completed")));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().keyId, 1);
    QCOMPARE(proxy.allRecords().first().authSource, QStringLiteral("x-api-key"));
}

void tst_WebSocketResponses::handshake_refusedBeforeUpgrade_401JsonNo101()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, proxy.port);
    QVERIFY(raw.waitForConnected(3000));
    raw.write("GET /backend-api/codex/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
              "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Authorization: Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray() + "\r\n\r\n");
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((raw.waitForReadyRead(50), received += raw.readAll(), received.contains("}}")), 3000);
    QVERIFY2(received.startsWith("HTTP/1.1 401"), received.constData());
    QVERIFY(!received.contains("101 Switching"));
    const QJsonObject body = QJsonDocument::fromJson(received.mid(received.indexOf("\r\n\r\n") + 4)).object();
    QCOMPARE(body.value(u"error").toObject().value(u"code").toString(), QStringLiteral("invalid_api_key"));
    // A QWebSocket client sees the refusal as a failed handshake, never as an open socket.
    WsClient client(proxy.port, {{"x-api-key", "sk-kg-unknown-key-0000000000000000"}});
    QVERIFY(!client.waitConnected());
    QCOMPARE(fake.requestCount(), 0);
}

void tst_WebSocketResponses::multiTurn_eachTurnARequestWithUsage()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("response.completed")));
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("response.completed"), 2));
    QTRY_COMPARE(proxy.allRecords().size(), 2);
    for (const RequestRecord &record : proxy.allRecords()) {
        QCOMPARE(record.keyId, 1);
        QCOMPARE(record.outcome, QStringLiteral("ok"));
        QVERIFY(record.usage.has_value());
        QCOMPARE(record.usage->total, 1280);
    }
    // The handshake and each turn went through the auth pipeline.
    QTRY_COMPARE(proxy.allTraces().size(), 3);
    QCOMPARE(proxy.allTraces().at(0).method, QStringLiteral("GET"));
    QCOMPARE(proxy.allTraces().at(1).method, QStringLiteral("POST"));
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

void tst_WebSocketResponses::keyPolicy_refusesATurn_socketStaysOpen()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    KeyPolicy policy;
    policy.allowedModels = {QStringLiteral("gpt-5.4-mini")};
    proxy.initialKeys = ProxyTestHarness::keys(true, policy);
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("error")));
    const QJsonObject error = client.messages.last();
    QCOMPARE(error.value(u"status").toInt(), 403);
    QCOMPARE(error.value(u"error").toObject().value(u"code").toString(), QStringLiteral("model_not_allowed"));
    QCOMPARE(fake.requestCount(), 0);
    QTest::qWait(100);
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

void tst_WebSocketResponses::upstreamFailure_closes1011WithReason()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({{QStringLiteral("detail"), QStringLiteral("boom")}}, 500)));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(disconnected.wait(10000));
    QCOMPARE(int(client.socket.closeCode()), 1011);
    QCOMPARE(client.socket.closeReason(), QStringLiteral("upstream: boom"));
    QCOMPARE(client.typeCount(QStringLiteral("error")), 1);
    const QJsonObject event = client.messages.last(); // the reason comes before the close
    QCOMPARE(event.value(u"status").toInt(), 500);
    QCOMPARE(event.value(u"error").toObject().value(u"message").toString(), QStringLiteral("upstream: boom"));
    QCOMPARE(event.value(u"error").toObject().value(u"type").toString(), QStringLiteral("server_error"));
}

void tst_WebSocketResponses::upstreamRefusal_errorEventCarriesReason_socketStaysOpen()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json(
                                      {{QStringLiteral("detail"), QStringLiteral("Store must be set to false")}}, 400)));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("error")));
    const QJsonObject expected{{QStringLiteral("type"), QStringLiteral("error")},
                               {QStringLiteral("status"), 400},
                               {QStringLiteral("error"),
                                QJsonObject{{QStringLiteral("message"), QStringLiteral("upstream: Store must be set to false")},
                                            {QStringLiteral("type"), QStringLiteral("invalid_request_error")},
                                            {QStringLiteral("code"), QStringLiteral("upstream_error")},
                                            {QStringLiteral("param"), QJsonValue::Null}}}};
    QCOMPARE(client.messages.last(), expected);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().status, 400);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
    QTest::qWait(100);
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

void tst_WebSocketResponses::idleSocket_closedAfterTimeout()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.webSocketIdleMs = 300;
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(int(client.socket.closeCode()), 1000);
    QCOMPARE(client.socket.closeReason(), QStringLiteral("idle timeout"));
}

void tst_WebSocketResponses::badMessages_errorEventsSocketStaysOpen()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned(100)));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QStringLiteral("not json"));
    client.socket.sendTextMessage(QStringLiteral("{\"type\":\"session.update\"}"));
    QVERIFY(client.waitForType(QStringLiteral("error"), 2));
    QCOMPARE(client.messages.at(0).value(u"error").toObject().value(u"code").toString(), QStringLiteral("invalid_json"));
    QCOMPARE(client.messages.at(1).value(u"error").toObject().value(u"code").toString(),
             QStringLiteral("unsupported_message_type"));
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    client.socket.sendTextMessage(QString::fromUtf8(Turn)); // while the first one runs
    QVERIFY(client.waitForType(QStringLiteral("response.completed")));
    QCOMPARE(client.typeCount(QStringLiteral("error")), 3);
    QCOMPARE(fake.requestCount(), 1);
}

void tst_WebSocketResponses::clientCloses_midTurn_upstreamReadOnAndUsageCharged()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned(300)));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(Turn));
    QVERIFY(client.waitForType(QStringLiteral("response.created")));
    client.socket.abort();
    // The turn is read on to its usage (the key pays for it), not abandoned.
    QTRY_COMPARE_WITH_TIMEOUT(proxy.allRecords().size(), 1, 10000);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("client_closed"));
    QCOMPARE(proxy.allRecords().first().usageSource, QStringLiteral("upstream"));
    QVERIFY(proxy.allRecords().first().usage.has_value());
}

void tst_WebSocketResponses::escapedOrDuplicateNames_refusedOrJudgedDecoded_nothingForwarded()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.initialKeys = miniLowKeys();
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    struct Attempt
    {
        QByteArray message;
        int status;
        QString code;
        QString param;
    };
    const QList<Attempt> attempts{
        {j("{'type':'response.create','model':'gpt-5.4-mini','mod\\u0065l':'gpt-5.4','input':[]}"), 400,
         QStringLiteral("duplicate_member"), QStringLiteral("model")},
        {j("{'type':'response.create','typ\\u0065':'response.create','model':'gpt-5.4-mini','type':'x'}"), 400,
         QStringLiteral("duplicate_member"), QStringLiteral("type")},
        {j("{'type':'response.create','model':'gpt-5.4-mini','reasoning':{'effort':'low','eff\\u006frt':'high'}}"), 400,
         QStringLiteral("duplicate_member"), QStringLiteral("reasoning.effort")},
        {j("{'type':'response.create','model':'gpt-5.4-mini','response':{'model':'gpt-5.4','mod\\u0065l':'x'}}"), 400,
         QStringLiteral("duplicate_member"), QStringLiteral("response.model")},
        {j("{'type':'response.create','model':'gpt-5.4-mini','input':[{'\\ud800':1}]}"), 400,
         QStringLiteral("invalid_member_name"), QStringLiteral("input[0].\uFFFD")},
        {j("{'type':'response.create','mod\\u0065l':'gpt-5.4','input':[]}"), 403, QStringLiteral("model_not_allowed"), {}},
        {j("{'type':'response.create','response':{'model':'gpt-5.4'}}"), 403, QStringLiteral("model_not_allowed"), {}},
        {j("{'type':'response.create','model':'gpt-5.4-mini','reasoning':{'eff\\u006frt':'high'}}"), 403,
         QStringLiteral("reasoning_effort_not_allowed"), QStringLiteral("reasoning.effort")},
    };
    for (const Attempt &attempt : attempts) {
        // One at a time: a refused turn is finished only once the event loop ran.
        const int before = client.typeCount(QStringLiteral("error"));
        client.socket.sendTextMessage(QString::fromUtf8(attempt.message));
        QVERIFY(client.waitForType(QStringLiteral("error"), before + 1));
        const QJsonObject event = client.messages.last();
        const QJsonObject error = event.value(u"error").toObject();
        QVERIFY2(event.value(u"status").toInt() == attempt.status, attempt.message.constData());
        QCOMPARE(error.value(u"code").toString(), attempt.code);
        QCOMPARE(error.value(u"param").toString(), attempt.param);
    }
    QCOMPARE(fake.requestCount(), 0);
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

void tst_WebSocketResponses::escapedTypeAndModel_turnCutAndJudgedAsTheUpstreamReadsIt()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.initialKeys = miniLowKeys();
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(
        j("{'mod\\u0065l':'gpt-5.4-mini', 'typ\\u0065' : 'response.create','stream':true,'input':[],'store':false}")));
    QVERIFY(client.waitForType(QStringLiteral("response.completed")));
    QCOMPARE(fake.requestCount(), 1);
    // The escaped "type" member was the one cut: the upstream gets no "type", and the model judged.
    const QByteArray upstream = fake.lastRequest().body;
    QCOMPARE(upstream, j("{'mod\\u0065l':'gpt-5.4-mini', 'stream':true,'input':[],'store':false}")); // the space before 'typ…' stays
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().model, QStringLiteral("gpt-5.4-mini"));
}

void tst_WebSocketResponses::sdkFields_codexAccount_normalisedAndStreamed()
{
    // The OpenAI Agents SDK's WebSocket transport: no store, no stream, plain-API fields, empty tools.
    FakeUpstream fake; // ChatGPT mode: refuses what the backend refuses
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    WsClient client(proxy.port, piHeaders(), "/v1/responses");
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(QString::fromUtf8(
        j("{'type':'response.create','model':'gpt-5.4','input':'hi','max_output_tokens':100,'temperature':0.2,"
          "'top_p':1,'metadata':{},'tools':[]}")));
    QVERIFY(client.waitForType(QStringLiteral("response.completed")));
    QCOMPARE(fake.chatGptRefusals(), 0);
    QCOMPARE(fake.lastRequest().body, j("{'model':'gpt-5.4','input':'hi','store':false,'stream':true}"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().usage->total, 1280);
}

void tst_WebSocketResponses::v1Route_codexAccount_openAiContract_backendRouteUnchanged()
{
    // The backend's private events and a terminal event without output, as it streams a store:false turn.
    QList<QByteArray> events = FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hi")},
                                                             {1200, 1000, 80, 30, 1280});
    events.prepend(FakeUpstream::sseEvent("codex.rate_limits", {{QStringLiteral("type"), QStringLiteral("codex.rate_limits")}}));
    events.last().replace("\"output\":[{", "\"output\":[],\"sent\":[{");
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::sse(events)));
    const QByteArray turn = j("{'type':'response.create','model':'gpt-5.4','input':'hi'}");

    WsClient sdk(proxy.port, piHeaders(), "/v1/responses");
    QVERIFY(sdk.waitConnected());
    sdk.socket.sendTextMessage(QString::fromUtf8(turn));
    QVERIFY(sdk.waitForType(QStringLiteral("response.completed")));
    QCOMPARE(sdk.typeCount(QStringLiteral("codex.rate_limits")), 0);
    QCOMPARE(sdk.messages.first().value(u"type").toString(), QStringLiteral("response.created"));
    QCOMPARE(sdk.messages.last().value(u"response").toObject().value(u"output").toArray().size(), 1);

    WsClient native(proxy.port, piHeaders());
    QVERIFY(native.waitConnected());
    native.socket.sendTextMessage(QString::fromUtf8(turn));
    QVERIFY(native.waitForType(QStringLiteral("response.completed")));
    QCOMPARE(native.messages.first().value(u"type").toString(), QStringLiteral("codex.rate_limits"));
    QVERIFY(native.messages.last().value(u"response").toObject().value(u"output").toArray().isEmpty());
}

QTEST_GUILESS_MAIN(tst_WebSocketResponses)
#include "tst_websocketresponses.moc"
