// SPDX-License-Identifier: MIT
// Integration: a hostile or broken upstream — an endless head, garbage, an overflowing chunk size, a
// stream gone silent, a reset, a redirect, an encoded body. The real proxy thread, a FakeUpstream in
// raw mode started here and a raw HTTP client: the client gets a clear 502/504 (before the head) or
// `response.failed` (after it) naming the cause, the record says upstream_error, nothing hangs.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestCompression.h"

#include "proxy/relay/UsageEstimate.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Proxy;
using namespace TestSupport;

namespace {

const QByteArray StreamBody = R"({"model":"gpt-5.4","stream":true,"store":false,"input":[]})";
const QByteArray CodexPath = "/backend-api/codex/responses";
const QByteArray SseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

/// The canned stream's first @p count events, each as its own chunk.
QList<QByteArray> firstEvents(int count)
{
    const QList<QByteArray> events =
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hi"), QStringLiteral(" there")},
                                      {1200, 1000, 80, 30, 1280});
    QList<QByteArray> out;
    for (int i = 0; i < count; ++i)
        out.append(chunk(events.at(i)));
    return out;
}

FakeUpstream::Reply raw(QList<QByteArray> pieces)
{
    FakeUpstream::Reply reply;
    reply.raw = std::move(pieces);
    return reply;
}

/// The "error" object of the client's answer: the JSON envelope, or the response.failed event's.
QJsonObject errorOf(const RawHttpClient::Response &response)
{
    if (response.status != 200)
        return QJsonDocument::fromJson(response.body).object().value(u"error").toObject();
    const qsizetype at = response.body.indexOf("event: response.failed\ndata: ");
    if (at < 0)
        return {};
    const qsizetype start = at + qsizetype(qstrlen("event: response.failed\ndata: "));
    const QByteArray data = response.body.mid(start, response.body.indexOf('\n', start) - start);
    return QJsonDocument::fromJson(data).object().value(u"response").toObject().value(u"error").toObject();
}

/// What the proxy gives the client for one request, read to its end.
std::optional<RawHttpClient::Response> ask(ProxyTestHarness &proxy, RawHttpClient &client, const QByteArray &path = CodexPath)
{
    if (!client.connectTo(proxy.port))
        return std::nullopt;
    client.send(proxy.rawPost(path, StreamBody, {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    return client.readResponse(10000);
}

} // namespace

class tst_HostileUpstream final : public QObject
{
    Q_OBJECT

private slots:
    void endlessHead_502NamesTheLimitAndStopsReading();
    void garbageInsteadOfStatusLine_502NamesIt_data();
    void garbageInsteadOfStatusLine_502NamesIt();
    void overflowingChunkSize_midStream_responseFailedNamesIt();
    void silentStream_idleTimeout_responseFailedAndEstimate();
    void resetMidStream_responseFailedAndEstimate();
    void resetBeforeHead_502NamesIt();
    void redirect_notFollowed_502NamesTarget_data();
    void redirect_notFollowed_502NamesTarget();
    void redirectOnFirstAccount_nextAccountServes();
    void encodedBody_refused502NamesCoding_data();
    void encodedBody_refused502NamesCoding();
    void encodedRefusal_statusKeptBodyUnread();
    void encodedModelList_refused502();

private:
    /// Asserts the one record of the request: upstream_error with @p status.
    static void verifyRecord(ProxyTestHarness &proxy, int status);
};

void tst_HostileUpstream::verifyRecord(ProxyTestHarness &proxy, int status)
{
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.outcome, QStringLiteral("upstream_error"));
    QCOMPARE(record.status, status);
    QCOMPARE(record.accountId, 1);
}

void tst_HostileUpstream::endlessHead_502NamesTheLimitAndStopsReading()
{
    // A status line, then header lines without end: 256 MiB of them, written as fast as they are read.
    FakeUpstream::Reply reply = raw({"HTTP/1.1 200 OK\r\n", "X-Pad: " + QByteArray(1000, 'p') + "\r\n"});
    reply.rawRepeatUntilBytes = 256LL * 1024 * 1024;
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply));
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    QCOMPARE(response->status, 502);
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("server_error"));
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_protocol_error"));
    QVERIFY2(error.value(u"message").toString().contains(u"response head exceeds 65536 bytes"),
             qPrintable(error.value(u"message").toString()));
    verifyRecord(proxy, 502);
    // The proxy hung up after its 64 KiB head limit: the rest was never read (kernel buffers hold a few MB).
    QTRY_COMPARE(fake.clientDisconnectCount(), 1);
    QVERIFY2(fake.bytesWritten() < 32LL * 1024 * 1024, qPrintable(QString::number(fake.bytesWritten())));
}

void tst_HostileUpstream::garbageInsteadOfStatusLine_502NamesIt_data()
{
    QTest::addColumn<QByteArray>("garbage");
    QTest::addColumn<qint64>("repeatUntil");
    QTest::addColumn<QString>("cause");
    QTest::newRow("text lines") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << qint64(0) << QStringLiteral("malformed status line");
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 13) << qint64(0)
                            << QStringLiteral("malformed status line");
    QTest::newRow("no line end, ever") << QByteArray(4096, '\x7f') << qint64(64LL * 1024 * 1024)
                                       << QStringLiteral("response head exceeds");
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << qint64(0)
                                    << QStringLiteral("malformed status line");
    QTest::newRow("status 999999") << QByteArray("HTTP/1.1 999999 Huge\r\n\r\n") << qint64(0)
                                   << QStringLiteral("malformed status line");
}

void tst_HostileUpstream::garbageInsteadOfStatusLine_502NamesIt()
{
    QFETCH(QByteArray, garbage);
    QFETCH(qint64, repeatUntil);
    QFETCH(QString, cause);
    FakeUpstream::Reply reply = raw({garbage});
    reply.rawRepeatUntilBytes = repeatUntil;
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply));
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    QCOMPARE(response->status, 502);
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_protocol_error"));
    QVERIFY2(error.value(u"message").toString().contains(cause), qPrintable(error.value(u"message").toString()));
    verifyRecord(proxy, 502);
}

void tst_HostileUpstream::overflowingChunkSize_midStream_responseFailedNamesIt()
{
    // Twenty hex digits: 2^80 - 1 bytes announced, which no 64-bit size holds.
    QList<QByteArray> pieces{SseHead};
    pieces += firstEvents(2);
    pieces.append("ffffffffffffffffffff\r\n" + QByteArray(64, 'x'));
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, raw(pieces)));
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    QCOMPARE(response->status, 200); // the head went out before the bad chunk came
    QVERIFY(response->body.contains("event: response.created"));
    QVERIFY(!response->body.contains("xxxx"));
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("stream_incomplete"));
    QVERIFY2(error.value(u"message").toString().contains(u"malformed chunk size"),
             qPrintable(error.value(u"message").toString()));
    verifyRecord(proxy, 200);
}

void tst_HostileUpstream::silentStream_idleTimeout_responseFailedAndEstimate()
{
    // Two events, then nothing: no terminal event, no end, an open connection.
    QList<QByteArray> pieces{SseHead};
    pieces += firstEvents(3);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.timeouts.idleMs = 300;
    QVERIFY(proxy.startWith(fake, raw(pieces)));
    RawHttpClient client;
    QElapsedTimer clock;
    clock.start();
    const auto response = ask(proxy, client, "/v1/responses"); // through the OpenAI SDK's SSE contract
    QVERIFY(response);
    QVERIFY2(clock.elapsed() < 5000, "the idle timeout ends the stream, not the client's patience");
    QCOMPARE(response->status, 200);
    QVERIFY(response->body.contains("event: response.created"));
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("stream_incomplete"));
    QVERIFY2(error.value(u"message").toString().contains(u"no data from") &&
                 error.value(u"message").toString().contains(u"for 300 ms"),
             qPrintable(error.value(u"message").toString()));
    verifyRecord(proxy, 200);
    // The upstream did the work it was asked for: the request is charged the estimate, not nothing.
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.usageSource, QStringLiteral("estimate"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(UsageEstimate::forClientClosed(StreamBody.size(), record.bytesOut)));
    QVERIFY(record.bytesOut > 0);
    QTRY_COMPARE(fake.clientDisconnectCount(), 1); // the silent connection is closed, not left open
}

void tst_HostileUpstream::resetMidStream_responseFailedAndEstimate()
{
    QList<QByteArray> pieces{SseHead};
    pieces += firstEvents(2);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, raw(pieces)));
    RawHttpClient client;
    QVERIFY(client.connectTo(proxy.port));
    client.send(proxy.rawPost(CodexPath, StreamBody, {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    QTRY_VERIFY_WITH_TIMEOUT(client.buffer().contains("response.created"), 5000);
    fake.resetAllConnections();
    const auto response = client.readResponse(5000);
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("stream_incomplete"));
    QVERIFY2(error.value(u"message").toString().contains(u"closed the connection mid-response"),
             qPrintable(error.value(u"message").toString()));
    verifyRecord(proxy, 200);
    QCOMPARE(proxy.allRecords().first().usageSource, QStringLiteral("estimate"));
}

void tst_HostileUpstream::resetBeforeHead_502NamesIt()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, raw({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"})));
    RawHttpClient client;
    QVERIFY(client.connectTo(proxy.port));
    client.send(proxy.rawPost(CodexPath, StreamBody, {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    QTRY_COMPARE(fake.requestCount(), 1);
    QTRY_COMPARE(fake.bytesWritten(), qint64(qstrlen("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n")));
    fake.resetAllConnections();
    const auto response = client.readResponse(5000);
    QVERIFY(response);
    QCOMPARE(response->status, 502);
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_unavailable"));
    QVERIFY2(error.value(u"message").toString().contains(u"closed the connection before the response head"),
             qPrintable(error.value(u"message").toString()));
    verifyRecord(proxy, 502);
}

void tst_HostileUpstream::redirect_notFollowed_502NamesTarget_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<QString>("named");
    QTest::newRow("302") << 302 << QByteArray("http://127.0.0.1:9/elsewhere") << QStringLiteral("(302) to http://127.0.0.1:9/elsewhere");
    QTest::newRow("307 keeps the body") << 307 << QByteArray("https://evil.example/collect")
                                        << QStringLiteral("(307) to https://evil.example/collect");
    QTest::newRow("308 with secrets") << 308 << QByteArray("https://user:pw@evil.example/x?token=sk-secret#frag")
                                      << QStringLiteral("(308) to https://evil.example/x;");
    QTest::newRow("301 without Location") << 301 << QByteArray() << QStringLiteral("(301) to no Location");
}

void tst_HostileUpstream::redirect_notFollowed_502NamesTarget()
{
    QFETCH(int, status);
    QFETCH(QByteArray, location);
    QFETCH(QString, named);
    FakeUpstream::Reply redirect;
    redirect.status = status;
    if (!location.isEmpty())
        redirect.headers.append("Location", location);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, redirect));
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    // The client gets no redirect to follow: a client that did would send its body where the upstream chose.
    QCOMPARE(response->status, 502);
    QVERIFY(!response->headers.contains("location"));
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_redirect"));
    const QString message = error.value(u"message").toString();
    QVERIFY2(message.contains(named) && message.contains(u"Keygate does not follow redirects"), qPrintable(message));
    QVERIFY2(!message.contains(u"sk-secret") && !message.contains(u"pw@"), qPrintable(message));
    QCOMPARE(fake.requestCount(), 1);
    verifyRecord(proxy, 502);
}

void tst_HostileUpstream::redirectOnFirstAccount_nextAccountServes()
{
    FakeUpstream redirecting;
    FakeUpstream::Reply redirect;
    redirect.status = 302;
    redirect.headers.append("Location", "http://127.0.0.1:9/elsewhere");
    redirecting.setDefaultReply(redirect);
    FakeUpstream healthy;
    healthy.setDefaultReply(FakeUpstream::Reply::sse(FakeUpstream::responsesStream(
        QStringLiteral("gpt-5.4"), {QStringLiteral("Hi")}, {1200, 1000, 80, 30, 1280})));
    ProxyTestHarness proxy;
    proxy.addAccount(1, redirecting.baseUrl(), "token-1");
    proxy.addAccount(2, healthy.baseUrl(), "token-2");
    QVERIFY(proxy.start());
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(response->body.contains("response.completed"));
    QCOMPARE(redirecting.requestCount(), 1);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("ok"));
    QCOMPARE(proxy.allRecords().first().accountId, 2);
}

void tst_HostileUpstream::encodedBody_refused502NamesCoding_data()
{
    const QByteArray plain = FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hi")},
                                                           {1200, 1000, 80, 30, 1280})
                                 .join();
    QTest::addColumn<QByteArray>("coding");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("gzip") << QByteArray("gzip") << zlibCompress(once(plain), 15 + 16);
    QTest::newRow("zstd") << QByteArray("zstd") << zstdCompress(once(plain));
    QTest::newRow("br") << QByteArray("br") << QByteArray("\x1b\x03\x00", 3);
    QTest::newRow("gzip, identity") << QByteArray("gzip, identity") << zlibCompress(once(plain), 15 + 16);
    // 1 GiB of zeros in a few tens of KB: refused from its head, never inflated.
    QTest::newRow("zstd bomb") << QByteArray("zstd") << zstdCompress(zeros(1LL << 30), 1);
}

void tst_HostileUpstream::encodedBody_refused502NamesCoding()
{
    QFETCH(QByteArray, coding);
    QFETCH(QByteArray, body);
    FakeUpstream::Reply reply;
    reply.headers.append("Content-Type", "text/event-stream");
    reply.headers.append("Content-Encoding", coding);
    reply.body = body;
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply));
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    QCOMPARE(response->status, 502);
    QVERIFY(!response->headers.contains("content-encoding"));
    const QJsonObject error = errorOf(*response);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_encoded_body"));
    const QString expected = QStringLiteral("upstream sent a %1-encoded body although Keygate asked for identity")
                                 .arg(QString::fromLatin1(coding.split(',').first()));
    QCOMPARE(error.value(u"message").toString(), expected);
    QCOMPARE(fake.lastRequest().headers.value("accept-encoding"), QByteArray("identity"));
    verifyRecord(proxy, 502);
}

void tst_HostileUpstream::encodedRefusal_statusKeptBodyUnread()
{
    // A 429 still makes its point (status, Retry-After); its gzip body is not inflated to find a reason.
    FakeUpstream::Reply limited;
    limited.status = 429;
    limited.headers.append("Content-Type", "application/json");
    limited.headers.append("Content-Encoding", "gzip");
    limited.headers.append("Retry-After", "120");
    limited.body = zlibCompress(once(R"({"error":{"message":"a reason only an inflater would read"}})"), 15 + 16);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, limited));
    RawHttpClient client;
    const auto response = ask(proxy, client);
    QVERIFY(response);
    QCOMPARE(response->status, 429);
    QCOMPARE(response->headers.value("retry-after"), QByteArray("120"));
    QVERIFY(!response->headers.contains("content-encoding"));
    QCOMPARE(errorOf(*response).value(u"message").toString(), QStringLiteral("upstream: HTTP 429 from the upstream"));
    verifyRecord(proxy, 429);
}

void tst_HostileUpstream::encodedModelList_refused502()
{
    FakeUpstream::Reply catalog = FakeUpstream::Reply::json({{QStringLiteral("models"), QJsonArray()}});
    catalog.headers.append("Content-Encoding", "gzip");
    FakeUpstream fake;
    fake.setReply("/codex/models", catalog);
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, catalog));
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "GET", "/v1/models", {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(response.status, 502);
    QCOMPARE(response.errorCode(), QStringLiteral("upstream_encoded_body"));
    QVERIFY(response.header("Content-Encoding").isEmpty());
}

QTEST_GUILESS_MAIN(tst_HostileUpstream)
#include "tst_hostileupstream.moc"
