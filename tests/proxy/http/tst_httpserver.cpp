// SPDX-License-Identifier: MIT
// HttpServer: keep-alive, pipelining, Connection handling, framing, streams and the server's lifecycle.
// Limits, timeouts and bad input: tst_httpserverlimits.cpp.
#include "tests/proxy/http/HttpServerTestSupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>

using namespace TestSupport;

class tst_HttpServer final : public HttpServerFixture
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
    void chunkedRequestBody_decodedAndEchoed();
    void headRequest_contentLengthWithoutBody();
    void pipelinedDuringStream_notInterleaved_closesAfterStream();
    void clientDisconnect_midStream_emitsClosedAndServerKeepsServing();
    void clientGone_laterWrites_doNotCrash();
    void handlerAbort_midStream_closesWithoutTerminatorAndEmitsClosedLater();
    void stream_chunkedFraming_decodes();
    void stream_http10_closeDelimited();
    void stream_largeChunk_emitsDrained();
    void inFlightCount_afterResponse_becameIdle();
    void stopAccepting_closesIdle_inFlightFinishesWithClose();
};

void tst_HttpServer::cleanup()
{
    resetServer();
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
