// SPDX-License-Identifier: MIT
#include "proxy/http/HttpExchange.h"
#include "proxy/http/HttpServer.h"
#include "tests/support/RawHttpClient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using Proxy::HttpExchange;
using Proxy::HttpHeaders;
using Proxy::HttpLimits;
using Proxy::HttpServer;
using TestSupport::RawHttpClient;

namespace {

HttpLimits fastLimits()
{
    HttpLimits limits;
    limits.maxBodyBytes = 64 * 1024;
    limits.maxHeaderBytes = 4096;
    limits.maxHeaderCount = 20;
    limits.headerTimeoutMs = 1500;
    limits.idleTimeoutMs = 1500;
    limits.maxConnections = 64;
    return limits;
}

int queryInt(const QByteArray &query, const QByteArray &key, int fallback)
{
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq > 0 && pair.left(eq) == key)
            return pair.mid(eq + 1).toInt();
    }
    return fallback;
}

/// Checks the OpenAI error envelope {"error":{"message","type","code"}}.
bool isErrorEnvelope(const QByteArray &body, const QString &type)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    return !error.value(QStringLiteral("message")).toString().isEmpty()
           && error.value(QStringLiteral("type")).toString() == type
           && !error.value(QStringLiteral("code")).toString().isEmpty();
}

const QByteArray TlsClientHello = QByteArray::fromHex(
    "16030100c4010000c00303a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9000"
    "0813021303130100ff010000");

} // namespace

class tst_HttpServer final : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void keepAlive_twoRequests_reuseOneConnection();
    void pipelinedRequests_synchronousHandler_answeredInOrder();
    void connectionClose_fromClient_serverClosesAfterResponse();
    void connectionClose_fromHandler_serverCloses();
    void http10_withoutKeepAlive_serverCloses();
    void http10_withKeepAlive_staysOpen();
    void expectContinue_sends100PromptlyThenResponse();
    void expectContinue_overLimit_413Without100();
    void contentLength_overLimit_413WithoutReadingBody();
    void headers_tooMany_431AndClose();
    void headers_tooLarge_431AndClose();
    void headerLine_withoutColon_400AndClose();
    void contentLength_withTransferEncoding_400AndClose();
    void contentLength_differingDuplicates_400AndClose();
    void badRequest_answeredWithStatusAndClose_data();
    void badRequest_answeredWithStatusAndClose();
    void smuggledRequest_inBody_notExecuted();
    void chunkedRequestBody_decodedAndEchoed();
    void headRequest_contentLengthWithoutBody();
    void headerTimeout_slowloris_408AndClose();
    void headerTimeout_slowBody_408AndClose();
    void headerTimeout_nothingSent_closesSilently();
    void idleTimeout_idleKeepAlive_closes();
    void idleTimeout_slowStream_notClosed();
    void pipelinedDuringStream_notInterleaved_closesAfterStream();
    void connectionCap_extraConnection_gets503();
    void clientDisconnect_midStream_emitsClosedAndServerKeepsServing();
    void clientGone_laterWrites_doNotCrash();
    void handlerAbort_midStream_closesWithoutTerminatorAndEmitsClosedLater();
    void garbage_binaryBytes_400OrCloseWithoutHang_data();
    void garbage_binaryBytes_400OrCloseWithoutHang();
    void stream_chunkedFraming_decodes();
    void stream_http10_closeDelimited();
    void stream_largeChunk_emitsDrained();
    void inFlightCount_afterResponse_becameIdle();
    void stopAccepting_closesIdle_inFlightFinishesWithClose();

private:
    void startServer(const HttpLimits &limits = fastLimits());
    void handle(HttpExchange *exchange);
    static bool expectErrorAndClose(RawHttpClient &client, int status);

    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    int m_handled = 0;
    int m_closed = 0;
    int m_drained = 0;
    qint64 m_peakPending = 0;
    bool m_closedInsideAbort = false;
    QList<QPointer<HttpExchange>> m_held;
};

void tst_HttpServer::startServer(const HttpLimits &limits)
{
    m_server = std::make_unique<HttpServer>(limits, [this](HttpExchange *exchange) { handle(exchange); });
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
    QVERIFY(m_port != 0);
}

void tst_HttpServer::cleanup()
{
    m_server.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    m_handled = 0;
    m_closed = 0;
    m_drained = 0;
    m_peakPending = 0;
    m_closedInsideAbort = false;
    m_held.clear();
}

void tst_HttpServer::handle(HttpExchange *exchange)
{
    ++m_handled;
    connect(exchange, &HttpExchange::closed, this, [this] { ++m_closed; });
    const QByteArray path = exchange->request().path;
    const QByteArray query = exchange->request().query;

    if (path == "/echo") {
        HttpHeaders headers;
        headers.append("Content-Type", "application/octet-stream");
        headers.append("X-Query", query);
        exchange->respond(200, headers, exchange->request().body);
    } else if (path == "/text") {
        exchange->respond(200, {}, "hello");
    } else if (path == "/close") {
        HttpHeaders headers;
        headers.append("Connection", "close");
        exchange->respond(200, headers, "bye");
    } else if (path == "/stream") {
        const int n = queryInt(query, "n", 3);
        const int ms = queryInt(query, "ms", 10);
        HttpHeaders headers;
        headers.append("Content-Type", "text/event-stream");
        exchange->beginStream(200, headers);
        auto *timer = new QTimer(exchange);
        timer->setInterval(ms);
        connect(timer, &QTimer::timeout, exchange, [exchange, timer, n, sent = 0]() mutable {
            exchange->writeChunk("data: " + QByteArray::number(sent) + "\n\n");
            if (++sent == n) {
                timer->stop();
                exchange->endStream();
            }
        });
        timer->start();
    } else if (path == "/big") {
        exchange->beginStream(200, {});
        // Backpressure the way a relay uses it: write, wait for drained(), then go on.
        connect(exchange, &HttpExchange::drained, this, [this, exchange] {
            ++m_drained;
            exchange->endStream();
        });
        exchange->writeChunk(QByteArray(4 * 1024 * 1024, 'b'));
        m_peakPending = exchange->pendingBytes();
    } else if (path == "/abort") {
        exchange->beginStream(200, {});
        exchange->writeChunk("partial");
        const int closedBefore = m_closed;
        exchange->abort();
        m_closedInsideAbort = m_closed != closedBefore;
    } else if (path == "/hold") {
        m_held.append(exchange);
    } else {
        exchange->respond(404, {}, "not found");
    }
}

bool tst_HttpServer::expectErrorAndClose(RawHttpClient &client, int status)
{
    const auto response = client.readResponse();
    if (!response) {
        qWarning("no response");
        return false;
    }
    if (response->status != status) {
        qWarning("status %d, expected %d", response->status, status);
        return false;
    }
    const QString type = status == 503 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error");
    if (response->headers.value("connection") != "close" || !isErrorEnvelope(response->body, type)
        || response->headers.value("content-type") != "application/json") {
        qWarning("bad error response: %s", response->body.constData());
        return false;
    }
    return client.waitForDisconnected();
}

void tst_HttpServer::keepAlive_twoRequests_reuseOneConnection()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));

    client.send("GET /echo?1 HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = client.readResponse();
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(first->headers.value("connection"), QByteArray("keep-alive"));
    QCOMPARE(first->headers.value("content-length"), QByteArray("0"));
    QVERIFY(first->headers.value("date").endsWith(" GMT"));
    QCOMPARE(first->headers.value("x-query"), QByteArray("1"));

    client.send("POST /echo?2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    auto second = client.readResponse();
    QVERIFY(second);
    QCOMPARE(second->status, 200);
    QCOMPARE(second->body, QByteArray("hello"));
    QCOMPARE(second->headers.value("x-query"), QByteArray("2"));
    QVERIFY(client.isConnected());
    QCOMPARE(m_server->connectionCount(), 1);
    QCOMPARE(m_handled, 2);
}

void tst_HttpServer::pipelinedRequests_synchronousHandler_answeredInOrder()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /echo?a HTTP/1.1\r\nHost: x\r\n\r\n"
                "POST /echo?b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                "GET /echo?c HTTP/1.1\r\nHost: x\r\n\r\n");
    for (const QByteArray &expected : {QByteArray("a"), QByteArray("b"), QByteArray("c")}) {
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->headers.value("x-query"), expected);
    }
    QVERIFY(client.isConnected());
}

void tst_HttpServer::connectionClose_fromClient_serverClosesAfterResponse()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, QByteArray("hello"));
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QVERIFY(client.waitForDisconnected());
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void tst_HttpServer::connectionClose_fromHandler_serverCloses()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->headers.values("connection"), QList<QByteArray>{"close"});
    QVERIFY(client.waitForDisconnected());
}

void tst_HttpServer::http10_withoutKeepAlive_serverCloses()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /text HTTP/1.0\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, QByteArray("hello"));
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QVERIFY(client.waitForDisconnected());
}

void tst_HttpServer::http10_withKeepAlive_staysOpen()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /text HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->headers.value("connection"), QByteArray("keep-alive"));
    client.send("GET /text HTTP/1.0\r\n\r\n");
    QVERIFY(client.readResponse());
    QVERIFY(client.waitForDisconnected());
}

void tst_HttpServer::expectContinue_sends100PromptlyThenResponse()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    QElapsedTimer elapsed;
    elapsed.start();
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    const auto interim = client.readResponse(500);
    QVERIFY(interim);
    QCOMPARE(interim->statusLine, QByteArray("HTTP/1.1 100 Continue"));
    QVERIFY(elapsed.elapsed() < 500);
    QCOMPARE(m_handled, 0);
    client.send("data");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, QByteArray("data"));
    QVERIFY(!client.buffer().contains("100 Continue"));
}

void tst_HttpServer::expectContinue_overLimit_413Without100()
{
    HttpLimits limits = fastLimits();
    limits.maxBodyBytes = 100;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n");
    QVERIFY(expectErrorAndClose(client, 413));
    QVERIFY(!client.buffer().contains("100 Continue"));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::contentLength_overLimit_413WithoutReadingBody()
{
    HttpLimits limits = fastLimits();
    limits.maxBodyBytes = 100;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    // Only the head is sent: the answer must not wait for the body.
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    QVERIFY(expectErrorAndClose(client, 413));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::headers_tooMany_431AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    QByteArray request = "GET /echo HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 25; ++i)
        request += "X-H" + QByteArray::number(i) + ": v\r\n";
    client.send(request + "\r\n");
    QVERIFY(expectErrorAndClose(client, 431));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::headers_tooLarge_431AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    // No terminating CRLF: the limit must trigger without the end of the head.
    client.send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(8192, 'v'));
    QVERIFY(expectErrorAndClose(client, 431));
}

void tst_HttpServer::headerLine_withoutColon_400AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /echo HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n");
    QVERIFY(expectErrorAndClose(client, 400));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::contentLength_withTransferEncoding_400AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 35\r\nTransfer-Encoding: chunked\r\n\r\n"
                "0\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(expectErrorAndClose(client, 400));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::contentLength_differingDuplicates_400AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc");
    QVERIFY(expectErrorAndClose(client, 400));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::badRequest_answeredWithStatusAndClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("missing Host") << QByteArray("GET /echo HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("invalid method") << QByteArray("G{T /echo HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("obs-fold") << QByteArray("GET /echo HTTP/1.1\r\nHost: x\r\nA: b\r\n  c\r\n\r\n") << 400;
    QTest::newRow("bare LF") << QByteArray("GET /echo HTTP/1.1\nHost: x\n\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /echo HTTP/2.0\r\nHost: x\r\n\r\n") << 505;
    QTest::newRow("gzip transfer coding") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")
                                          << 501;
    QTest::newRow("Content-Length not digits") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n")
                                               << 400;
}

void tst_HttpServer::badRequest_answeredWithStatusAndClose()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send(request);
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, status);
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QVERIFY(isErrorEnvelope(response->body, QStringLiteral("invalid_request_error")));
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::smuggledRequest_inBody_notExecuted()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    const QByteArray smuggled = "GET /text HTTP/1.1\r\nHost: x\r\n\r\n";
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(smuggled.size())
                + "\r\n\r\n" + smuggled);
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, smuggled);
    QVERIFY(client.staysSilent(150));
    QCOMPARE(m_handled, 1);
}

void tst_HttpServer::chunkedRequestBody_decodedAndEchoed()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n");
    QVERIFY(client.staysSilent(50));
    client.send("5\r\npedia\r\n0\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->body, QByteArray("Wikipedia"));
    QVERIFY(client.isConnected());
}

void tst_HttpServer::headRequest_contentLengthWithoutBody()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("HEAD /text HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto head = client.readResponse(2000, /*headRequest=*/true);
    QVERIFY(head);
    QCOMPARE(head->headers.value("content-length"), QByteArray("5"));
    client.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto get = client.readResponse();
    QVERIFY(get); // would be garbled if the HEAD response had carried a body
    QCOMPARE(get->status, 200);
    QCOMPARE(get->body, QByteArray("hello"));
}

void tst_HttpServer::headerTimeout_slowloris_408AndClose()
{
    HttpLimits limits = fastLimits();
    limits.headerTimeoutMs = 300;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    QElapsedTimer elapsed;
    elapsed.start();
    // Trickle a byte every 60 ms: progress must not extend the deadline.
    const QByteArray head = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    client.send(head);
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, &client, [&client] {
        if (client.isConnected())
            client.send("a");
    });
    trickle.start(60);
    QVERIFY(expectErrorAndClose(client, 408));
    QVERIFY2(elapsed.elapsed() < 1000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::headerTimeout_slowBody_408AndClose()
{
    HttpLimits limits = fastLimits();
    limits.headerTimeoutMs = 250;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"); // 7 bytes never come
    QVERIFY(expectErrorAndClose(client, 408));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::headerTimeout_nothingSent_closesSilently()
{
    HttpLimits limits = fastLimits();
    limits.headerTimeoutMs = 200;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    QVERIFY(client.waitForDisconnected(1500));
    QVERIFY(client.buffer().isEmpty());
}

void tst_HttpServer::idleTimeout_idleKeepAlive_closes()
{
    HttpLimits limits = fastLimits();
    limits.idleTimeoutMs = 250;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(client.readResponse());
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(client.waitForDisconnected(1500));
    QVERIFY(elapsed.elapsed() >= 200);
    QVERIFY(client.buffer().isEmpty());
}

void tst_HttpServer::idleTimeout_slowStream_notClosed()
{
    HttpLimits limits = fastLimits();
    limits.idleTimeoutMs = 150;
    limits.headerTimeoutMs = 150;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /stream?n=4&ms=120 HTTP/1.1\r\nHost: x\r\n\r\n"); // 480 ms of stream, idle 150 ms
    const auto response = client.readResponse(2000);
    QVERIFY(response);
    QCOMPARE(response->chunks.size(), 4);
    QCOMPARE(m_closed, 0);
    QVERIFY(client.isConnected());
}

void tst_HttpServer::pipelinedDuringStream_notInterleaved_closesAfterStream()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /stream?n=3&ms=80 HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(client.waitForBytes(10)); // the head is out, the stream is running
    client.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto stream = client.readResponse();
    QVERIFY(stream);
    QVERIFY(stream->chunked);
    QCOMPARE(stream->chunks,
             (QList<QByteArray>{"data: 0\n\n", "data: 1\n\n", "data: 2\n\n"}));
    QVERIFY(client.waitForDisconnected());
    QVERIFY2(client.buffer().isEmpty(), client.buffer().constData()); // the pipelined request got no answer
    QCOMPARE(m_handled, 1);
}

void tst_HttpServer::connectionCap_extraConnection_gets503()
{
    HttpLimits limits = fastLimits();
    limits.maxConnections = 2;
    startServer(limits);
    RawHttpClient first;
    RawHttpClient second;
    QVERIFY(first.connectTo(m_port));
    QVERIFY(second.connectTo(m_port));
    QTRY_COMPARE(m_server->connectionCount(), 2);

    RawHttpClient third;
    QVERIFY(third.connectTo(m_port));
    QVERIFY(expectErrorAndClose(third, 503));
    QCOMPARE(m_server->connectionCount(), 2);

    first.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = first.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
}

void tst_HttpServer::clientDisconnect_midStream_emitsClosedAndServerKeepsServing()
{
    startServer();
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send("GET /stream?n=1000&ms=5 HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.waitForBytes(60));
        QCOMPARE(m_server->inFlightCount(), 1);
        client.socket().abort();
    }
    QTRY_COMPARE(m_closed, 1);
    QTRY_COMPARE(m_server->inFlightCount(), 0);
    QTRY_COMPARE(m_server->connectionCount(), 0);

    RawHttpClient next;
    QVERIFY(next.connectTo(m_port));
    next.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = next.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
}

void tst_HttpServer::clientGone_laterWrites_doNotCrash()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), 1);
    QPointer<HttpExchange> held = m_held.first();
    QSignalSpy closed(held.data(), &HttpExchange::closed);
    client.socket().abort();
    QVERIFY(closed.wait(1000));
    // Still alive until the event loop deletes it: every call must be a no-op.
    QVERIFY(held);
    held->beginStream(200, {});
    held->writeChunk("late");
    held->endStream();
    held->respond(200, {}, "late");
    held->abort();
    QCOMPARE(held->pendingBytes(), 0);
    QTRY_VERIFY(held.isNull());
    QCOMPARE(m_server->inFlightCount(), 0);
}

void tst_HttpServer::handlerAbort_midStream_closesWithoutTerminatorAndEmitsClosedLater()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /abort HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(client.waitForDisconnected());
    QVERIFY(client.buffer().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(client.buffer().endsWith("7\r\npartial\r\n")); // no terminating chunk
    QVERIFY(!m_closedInsideAbort);
    QTRY_COMPARE(m_closed, 1);
    QCOMPARE(m_server->inFlightCount(), 0);
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void tst_HttpServer::garbage_binaryBytes_400OrCloseWithoutHang_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("TLS ClientHello") << TlsClientHello;
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\xff\xfe\r\n\r\n", 8);
    QTest::newRow("text garbage") << QByteArray("hello there\r\n\r\n");
}

void tst_HttpServer::garbage_binaryBytes_400OrCloseWithoutHang()
{
    QFETCH(QByteArray, bytes);
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send(bytes);
    QVERIFY(client.waitForDisconnected(1000));
    if (!client.buffer().isEmpty())
        QVERIFY2(client.buffer().startsWith("HTTP/1.1 400 "), client.buffer().constData());
    QCOMPARE(m_handled, 0);
}

void tst_HttpServer::stream_chunkedFraming_decodes()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /stream?n=5&ms=0 HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(response->chunked);
    QVERIFY(!response->headers.contains("content-length"));
    QCOMPARE(response->headers.value("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(response->chunks.size(), 5);
    QCOMPARE(response->chunks.at(4), QByteArray("data: 4\n\n"));
    QVERIFY(client.buffer().isEmpty()); // nothing after the last chunk
    // and the connection is reusable after the terminating chunk
    client.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(client.readResponse());
}

void tst_HttpServer::stream_http10_closeDelimited()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /stream?n=3&ms=0 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const auto response = client.readResponse();
    QVERIFY(response);
    QVERIFY(response->closeDelimited);
    QVERIFY(!response->headers.contains("transfer-encoding"));
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QCOMPARE(response->body, QByteArray("data: 0\n\ndata: 1\n\ndata: 2\n\n"));
}

void tst_HttpServer::stream_largeChunk_emitsDrained()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = client.readResponse(5000);
    QVERIFY(response);
    QCOMPARE(response->body.size(), 4 * 1024 * 1024);
    QVERIFY(m_peakPending > 256 * 1024);
    QTRY_COMPARE(m_drained, 1);
}

void tst_HttpServer::inFlightCount_afterResponse_becameIdle()
{
    startServer();
    QSignalSpy idle(m_server.get(), &HttpServer::becameIdle);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), 1);
    QCOMPARE(m_server->inFlightCount(), 1);
    QVERIFY(!m_held.first()->responseStarted());
    m_held.first()->respond(204, {}, {});
    QCOMPARE(m_server->inFlightCount(), 0);
    QVERIFY(idle.wait(1000));
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 204);
    QVERIFY(!response->headers.contains("content-length"));
}

void tst_HttpServer::stopAccepting_closesIdle_inFlightFinishesWithClose()
{
    startServer();
    RawHttpClient idleClient;
    QVERIFY(idleClient.connectTo(m_port));
    idleClient.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(idleClient.readResponse());
    RawHttpClient busyClient;
    QVERIFY(busyClient.connectTo(m_port));
    busyClient.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), 1);

    m_server->stopAccepting();
    QVERIFY(idleClient.waitForDisconnected());
    RawHttpClient late;
    QVERIFY(!late.connectTo(m_port, 300));

    QVERIFY(busyClient.isConnected());
    m_held.first()->respond(200, {}, "done");
    const auto response = busyClient.readResponse();
    QVERIFY(response);
    QCOMPARE(response->body, QByteArray("done"));
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QVERIFY(busyClient.waitForDisconnected());
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
