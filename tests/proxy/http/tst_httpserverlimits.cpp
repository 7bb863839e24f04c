// SPDX-License-Identifier: MIT
// HttpServer under hostile input: size limits, malformed and smuggled requests, slow and idle clients,
// the connection cap and garbage bytes. The rest of the server: tst_httpserver.cpp.
#include "tests/proxy/http/HttpServerTestSupport.h"

#include <QElapsedTimer>

using namespace TestSupport;

namespace {

const QByteArray TlsClientHello = QByteArray::fromHex(
    "16030100c4010000c00303a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9000"
    "0813021303130100ff010000");

} // namespace

class tst_HttpServerLimits final : public HttpServerFixture
{
    Q_OBJECT

private slots:
    void cleanup();

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
    void headerTimeout_slowloris_408AndClose();
    void headerTimeout_slowBody_408AndClose();
    void headerTimeout_nothingSent_closesSilently();
    void idleTimeout_idleKeepAlive_closes();
    void idleTimeout_slowStream_notClosed();
    void connectionCap_extraConnection_gets503();
    void garbage_binaryBytes_400OrCloseWithoutHang_data();
    void garbage_binaryBytes_400OrCloseWithoutHang();
};

void tst_HttpServerLimits::cleanup()
{
    resetServer();
}

void tst_HttpServerLimits::expectContinue_overLimit_413Without100()
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

void tst_HttpServerLimits::contentLength_overLimit_413WithoutReadingBody()
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

void tst_HttpServerLimits::headers_tooMany_431AndClose()
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

void tst_HttpServerLimits::headers_tooLarge_431AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    // No terminating CRLF: the limit must trigger without the end of the head.
    client.send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(8192, 'v'));
    QVERIFY(expectErrorAndClose(client, 431));
}

void tst_HttpServerLimits::headerLine_withoutColon_400AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /echo HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n");
    QVERIFY(expectErrorAndClose(client, 400));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServerLimits::contentLength_withTransferEncoding_400AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 35\r\nTransfer-Encoding: chunked\r\n\r\n"
                "0\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(expectErrorAndClose(client, 400));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServerLimits::contentLength_differingDuplicates_400AndClose()
{
    startServer();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc");
    QVERIFY(expectErrorAndClose(client, 400));
    QCOMPARE(m_handled, 0);
}

void tst_HttpServerLimits::badRequest_answeredWithStatusAndClose_data()
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

void tst_HttpServerLimits::badRequest_answeredWithStatusAndClose()
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

void tst_HttpServerLimits::smuggledRequest_inBody_notExecuted()
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

void tst_HttpServerLimits::headerTimeout_slowloris_408AndClose()
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

void tst_HttpServerLimits::headerTimeout_slowBody_408AndClose()
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

void tst_HttpServerLimits::headerTimeout_nothingSent_closesSilently()
{
    HttpLimits limits = fastLimits();
    limits.headerTimeoutMs = 200;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    QVERIFY(client.waitForDisconnected(1500));
    QVERIFY(client.buffer().isEmpty());
}

void tst_HttpServerLimits::idleTimeout_idleKeepAlive_closes()
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

void tst_HttpServerLimits::idleTimeout_slowStream_notClosed()
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

void tst_HttpServerLimits::connectionCap_extraConnection_gets503()
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

void tst_HttpServerLimits::garbage_binaryBytes_400OrCloseWithoutHang_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("TLS ClientHello") << TlsClientHello;
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\xff\xfe\r\n\r\n", 8);
    QTest::newRow("text garbage") << QByteArray("hello there\r\n\r\n");
}

void tst_HttpServerLimits::garbage_binaryBytes_400OrCloseWithoutHang()
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

QTEST_GUILESS_MAIN(tst_HttpServerLimits)
#include "tst_httpserverlimits.moc"
