// SPDX-License-Identifier: MIT
// UpstreamClient / UpstreamExchange against FakeUpstream over real loopback sockets: bodies, streams,
// timeouts, failures, pause/resume and abort. Connection reuse, retries and TLS:
// tst_upstreamclientconnections.cpp.
#include "tests/proxy/upstream/UpstreamClientTestSupport.h"

#include "proxy/upstream/UpstreamClient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace Proxy;
using namespace TestSupport;

namespace {

QByteArray joined(const QList<QByteArray> &parts)
{
    QByteArray out;
    for (const QByteArray &p : parts)
        out += p;
    return out;
}

} // namespace

class TestUpstreamClient final : public QObject
{
    Q_OBJECT

private slots:
    void contentLengthJsonBodyIsDelivered();
    void chunkedSseArrivesProgressively();
    void thirtyTwoConcurrentStreamsAllProgressAtOnce();
    void connectionRefusedIsConnectFailed();
    void stalledUpstreamTimesOutBeforeHead();
    void idleMidBodyTimesOutAfterHead();
    void closeMidBodyIsConnectionClosedAfterHead();
    void pauseThrottlesUpstreamAndResumeCompletes();
    void abortMakesUpstreamSeeDisconnectAndSilencesSignals();
    void deletingExchangeInsideBodySignalIsSafe();
    void pauseInsideBodySignalHoldsDataUntilResume();
    void requestHeadersAreSentExactlyPlusHostAndContentLength();
    void invalidUrlFailsAsynchronously();
};

void TestUpstreamClient::contentLengthJsonBodyIsDelivered()
{
    FakeUpstream fake;
    fake.setReply("/v1/models",
                  FakeUpstream::Reply::json(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}}));
    UpstreamClient client;
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/v1/models"), "GET"), testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.failures, 0);
    QCOMPARE(rec.heads, 1);
    QCOMPARE(rec.status, 200);
    QCOMPARE(rec.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(rec.body, QByteArray(R"({"object":"list"})"));
    QCOMPARE(fake.lastRequest().method, QByteArray("GET"));
    QCOMPARE(fake.lastRequest().target, QByteArray("/v1/models"));
}

void TestUpstreamClient::chunkedSseArrivesProgressively()
{
    FakeUpstream fake;
    const auto events = FakeUpstream::responsesStream(
        QStringLiteral("gpt-5"), {QStringLiteral("Hel"), QStringLiteral("lo")}, {10, 2, 5, 1, 15});
    fake.setReply("/v1/responses", FakeUpstream::Reply::sse(events, 60)); // ~7 × 60 ms
    UpstreamClient client;
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/v1/responses"), "POST", "{}"), testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.failures, 0);
    QCOMPARE(rec.headers.value("Content-Type"), QByteArray("text/event-stream"));
    QCOMPARE(rec.body, joined(events)); // chunked framing removed
    QVERIFY2(rec.bodies >= 3, "events must arrive as separate bodyReceived calls");
    const qint64 lastSent = fake.lastRequest().responseDoneAtMs;
    QVERIFY(lastSent > 0);
    QVERIFY2(
        rec.firstBodyAt + 150 < lastSent,
        qPrintable(
            QStringLiteral("first body at %1, upstream finished at %2").arg(rec.firstBodyAt).arg(lastSent)));
}

void TestUpstreamClient::thirtyTwoConcurrentStreamsAllProgressAtOnce()
{
    constexpr int Streams = 32;
    FakeUpstream fake;
    fake.setReply(
        "/v1/responses",
        FakeUpstream::Reply::sse({"data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: [DONE]\n\n"}, 150));
    UpstreamClient client;
    std::vector<std::unique_ptr<Recorder>> recs;
    for (int i = 0; i < Streams; ++i) {
        recs.push_back(std::make_unique<Recorder>());
        recs.back()->attach(client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts()));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(recs.begin(), recs.end(), [](const auto &r) { return r->done(); }),
                             10'000);
    qint64 lastFirstBody = 0;
    qint64 firstDone = std::numeric_limits<qint64>::max();
    for (const auto &r : recs) {
        QCOMPARE(r->finishes, 1);
        QCOMPARE(r->body, QByteArray("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: [DONE]\n\n"));
        lastFirstBody = qMax(lastFirstBody, r->firstBodyAt);
        firstDone = qMin(firstDone, r->doneAt);
    }
    QVERIFY2(lastFirstBody < firstDone,
             qPrintable(
                 QStringLiteral("last first-event %1 >= first finish %2").arg(lastFirstBody).arg(firstDone)));
    QCOMPARE(fake.connectionCount(), Streams);
    QCOMPARE(client.idleConnectionCount(), Streams);
}

void TestUpstreamClient::connectionRefusedIsConnectFailed()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    } // closed: nothing listens there now
    UpstreamClient client;
    UpstreamRequest r;
    r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port));
    Recorder rec;
    rec.attach(client.send(r, testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.failures, 1);
    QCOMPARE(rec.error.kind, UpstreamError::Kind::ConnectFailed);
    QVERIFY(!rec.error.headReceived);
    QVERIFY(!rec.error.message.isEmpty());
    QCOMPARE(rec.heads, 0);
}

void TestUpstreamClient::stalledUpstreamTimesOutBeforeHead()
{
    FakeUpstream fake;
    fake.setReply("/v1/responses", FakeUpstream::Reply::stalled());
    QSignalSpy disconnects(&fake, &FakeUpstream::clientDisconnected);
    UpstreamClient client;
    UpstreamTimeouts t = testTimeouts();
    t.firstByteMs = 200;
    Recorder rec;
    QElapsedTimer timer;
    timer.start();
    rec.attach(client.send(request(fake, QStringLiteral("/v1/responses")), t));
    QTRY_VERIFY(rec.done());
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(rec.failures, 1);
    QCOMPARE(rec.error.kind, UpstreamError::Kind::Timeout);
    QVERIFY(!rec.error.headReceived);
    QVERIFY2(elapsed >= 180 && elapsed < 2'000, qPrintable(QString::number(elapsed)));
    QTRY_COMPARE(disconnects.count(), 1); // the timed-out request was aborted, not left hanging
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestUpstreamClient::idleMidBodyTimesOutAfterHead()
{
    FakeUpstream fake;
    fake.setReply("/v1/responses", FakeUpstream::Reply::sse({"data: 1\n\n", "data: 2\n\n"}, 600));
    UpstreamClient client;
    UpstreamTimeouts t = testTimeouts();
    t.idleMs = 200;
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/v1/responses")), t));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.failures, 1);
    QCOMPARE(rec.error.kind, UpstreamError::Kind::Timeout);
    QVERIFY(rec.error.headReceived);
    QCOMPARE(rec.heads, 1);
}

void TestUpstreamClient::closeMidBodyIsConnectionClosedAfterHead()
{
    FakeUpstream fake;
    auto reply = FakeUpstream::Reply::sse({"data: 1\n\n", "data: 2\n\n", "data: 3\n\n"}, 20);
    reply.closeAfterEvents = 2;
    fake.setReply("/v1/responses", reply);
    UpstreamClient client;
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.failures, 1);
    QCOMPARE(rec.error.kind, UpstreamError::Kind::ConnectionClosed);
    QVERIFY(rec.error.headReceived);
    QCOMPARE(rec.body, QByteArray("data: 1\n\ndata: 2\n\n"));
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestUpstreamClient::pauseThrottlesUpstreamAndResumeCompletes()
{
    constexpr qint64 Total = 200LL * 1000 * 1000;
    constexpr qint64 Bound = 8LL * 1024 * 1024;
    FakeUpstream fake;
    fake.setReply("/big", FakeUpstream::Reply::huge(Total));
    UpstreamClient client;
    UpstreamExchange *x = client.send(request(fake, QStringLiteral("/big"), "GET"), testTimeouts());
    qint64 received = 0;
    bool finished = false;
    bool failed = false;
    QObject::connect(x, &UpstreamExchange::headReceived, x, [x] { x->pause(); });
    QObject::connect(x, &UpstreamExchange::bodyReceived, x,
                     [&](const QByteArray &d) { received += d.size(); });
    QObject::connect(x, &UpstreamExchange::finished, x, [&] { finished = true; });
    QObject::connect(x, &UpstreamExchange::failed, x, [&] { failed = true; });

    // While paused, the fake's writes must stall once the kernel buffers are full.
    QTRY_VERIFY(fake.bytesWritten() > 0);
    qint64 previous = -1;
    for (int i = 0; i < 40 && fake.bytesWritten() != previous; ++i) {
        previous = fake.bytesWritten();
        QTest::qWait(100);
    }
    QCOMPARE(fake.bytesWritten(), previous); // stopped growing
    qInfo("paused: upstream wrote %lld bytes before TCP flow control stopped it", fake.bytesWritten());
    QVERIFY2(fake.bytesWritten() < Bound, qPrintable(QString::number(fake.bytesWritten())));
    QCOMPARE(received, 0);
    QVERIFY(!finished && !failed);

    x->resume();
    QTRY_VERIFY_WITH_TIMEOUT(finished || failed, 15'000);
    QVERIFY(finished);
    QCOMPARE(received, Total);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestUpstreamClient::abortMakesUpstreamSeeDisconnectAndSilencesSignals()
{
    FakeUpstream fake;
    fake.setReply("/v1/responses",
                  FakeUpstream::Reply::sse({"data: 1\n\n", "data: 2\n\n", "data: 3\n\n"}, 100));
    QSignalSpy disconnects(&fake, &FakeUpstream::clientDisconnected);
    UpstreamClient client;
    UpstreamExchange *x = client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts());
    Recorder rec;
    rec.attach(x);
    QObject::connect(x, &UpstreamExchange::bodyReceived, x, [x, &rec] {
        rec.aborted = true;
        x->abort();
    });
    QTRY_COMPARE(disconnects.count(), 1);
    QTest::qWait(350); // the remaining events would have been sent by now
    QCOMPARE(rec.bodies, 1);
    QCOMPARE(rec.signalsAfterAbort, 0);
    QVERIFY(!rec.done());
    QCOMPARE(client.idleConnectionCount(), 0);
    delete x;
}

void TestUpstreamClient::deletingExchangeInsideBodySignalIsSafe()
{
    FakeUpstream fake;
    fake.setReply("/v1/responses", FakeUpstream::Reply::sse({"data: 1\n\n", "data: 2\n\n"}, 50));
    QSignalSpy disconnects(&fake, &FakeUpstream::clientDisconnected);
    UpstreamClient client;
    QObject owner;
    UpstreamExchange *x = client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts(), &owner);
    QCOMPARE(x->parent(), &owner);
    int bodies = 0;
    QObject::connect(x, &UpstreamExchange::bodyReceived, &owner, [x, &bodies] {
        ++bodies;
        delete x; // from inside the socket's readyRead call chain
    });
    QTRY_COMPARE(disconnects.count(), 1);
    QCOMPARE(bodies, 1);
    QVERIFY(owner.children().isEmpty());
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestUpstreamClient::pauseInsideBodySignalHoldsDataUntilResume()
{
    FakeUpstream fake;
    const auto events = FakeUpstream::responsesStream(
        QStringLiteral("gpt-5"), {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, {});
    fake.setReply("/v1/responses", FakeUpstream::Reply::sse(events, 5));
    UpstreamClient client;
    UpstreamExchange *x = client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts());
    QByteArray body;
    bool paused = false;
    bool finished = false;
    int deliveredWhilePaused = 0;
    QObject::connect(x, &UpstreamExchange::bodyReceived, x, [&, x](const QByteArray &d) {
        deliveredWhilePaused += paused;
        body += d;
        paused = true;
        x->pause(); // a slow client: resume 30 ms later
        QTimer::singleShot(30, x, [&, x] {
            paused = false;
            x->resume();
        });
    });
    QObject::connect(x, &UpstreamExchange::finished, x, [&] { finished = true; });
    QTRY_VERIFY(finished);
    QCOMPARE(deliveredWhilePaused, 0);
    QCOMPARE(body, joined(events));
}

void TestUpstreamClient::requestHeadersAreSentExactlyPlusHostAndContentLength()
{
    FakeUpstream fake;
    fake.setReply("/v1/responses", FakeUpstream::Reply::json({}));
    UpstreamClient client;
    UpstreamRequest r =
        request(fake, QStringLiteral("/v1/responses?stream=true&x=%20y"), "POST", R"({"model":"gpt-5"})");
    r.headers.append("Authorization", "Bearer upstream-token");
    r.headers.append("chatgpt-account-id", "acc-1");
    r.headers.append("X-Dup", "a");
    r.headers.append("x-dup", "b");
    r.headers.append("Accept", "text/event-stream");
    Recorder rec;
    rec.attach(client.send(r, testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.finishes, 1);

    const FakeUpstream::Request got = fake.lastRequest();
    QCOMPARE(got.method, QByteArray("POST"));
    QCOMPARE(got.target, QByteArray("/v1/responses?stream=true&x=%20y"));
    QCOMPARE(got.version, QByteArray("HTTP/1.1"));
    QCOMPARE(got.body, QByteArray(R"({"model":"gpt-5"})"));
    QList<HttpHeaders::Field> expected{
        {"Host", "127.0.0.1:" + QByteArray::number(fake.port())},
        {"Authorization", "Bearer upstream-token"},
        {"chatgpt-account-id", "acc-1"},
        {"X-Dup", "a"},
        {"x-dup", "b"},
        {"Accept", "text/event-stream"},
        {"Content-Length", "17"},
    };
    QCOMPARE(got.headers.fields(), expected);

    // An empty POST still says Content-Length: 0; a GET says nothing about length.
    Recorder empty;
    empty.attach(client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts()));
    QTRY_VERIFY(empty.done());
    expected = {{"Host", "127.0.0.1:" + QByteArray::number(fake.port())}, {"Content-Length", "0"}};
    QCOMPARE(fake.lastRequest().headers.fields(), expected);
    Recorder get;
    get.attach(client.send(request(fake, QStringLiteral("/v1/responses"), "GET"), testTimeouts()));
    QTRY_VERIFY(get.done());
    expected = {{"Host", "127.0.0.1:" + QByteArray::number(fake.port())}};
    QCOMPARE(fake.lastRequest().headers.fields(), expected);
}

void TestUpstreamClient::invalidUrlFailsAsynchronously()
{
    UpstreamClient client;
    UpstreamRequest r;
    r.url = QUrl(QStringLiteral("ftp://example.invalid/x"));
    UpstreamExchange *x = client.send(r, testTimeouts());
    QSignalSpy failed(x, &UpstreamExchange::failed); // the signal types work with QSignalSpy/queued
    QCOMPARE(failed.count(), 0);                     // never inside send()
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).value<UpstreamError>().kind, UpstreamError::Kind::ConnectFailed);
}

QTEST_GUILESS_MAIN(TestUpstreamClient)
#include "tst_upstreamclient.moc"
