// SPDX-License-Identifier: MIT
// The front end asks the head check before it reads a body: a refused head is answered at once,
// without 100 Continue, and its body never reaches the handler.
#include "proxy/http/HttpExchange.h"
#include "proxy/http/HttpServer.h"
#include "tests/support/RawHttpClient.h"

#include <QTest>

#include <memory>

using Proxy::HttpExchange;
using Proxy::HttpHeaders;
using Proxy::HttpLimits;
using Proxy::HttpRequest;
using Proxy::HttpServer;
using TestSupport::RawHttpClient;

class tst_HeadCheck final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup() { m_server.reset(); }
    void refusedHead_answeredAtOnceWithout100_bodyNeverHandled();
    void refusedHead_bodyAlreadyStreaming_answeredAndClosed();
    void acceptedHead_100ThenBodyHandled();
    void wholeRequestInOneWrite_handlerDecidesAlone();

private:
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    int m_checked = 0;
    int m_handled = 0;
    QByteArray m_checkedPath;
    QByteArray m_checkedKey;
};

void tst_HeadCheck::init()
{
    m_checked = m_handled = 0;
    HttpLimits limits;
    limits.maxBodyBytes = 32 * 1024 * 1024;
    m_server = std::make_unique<HttpServer>(limits, [this](HttpExchange *exchange) {
        ++m_handled;
        exchange->respond(200, {}, exchange->request().body.left(16));
    });
    m_server->setHeadCheck([this](const HttpRequest &head) -> std::optional<HttpServer::HeadRefusal> {
        ++m_checked;
        m_checkedPath = head.path;
        m_checkedKey = head.headers.value("x-api-key");
        if (m_checkedKey == "good" && head.peer.isLoopback())
            return std::nullopt;
        HttpHeaders headers;
        headers.set("Content-Type", "application/json");
        return HttpServer::HeadRefusal{401, headers, R"({"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}})"};
    });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void tst_HeadCheck::refusedHead_answeredAtOnceWithout100_bodyNeverHandled()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /v1/responses HTTP/1.1\r\nHost: x\r\nx-api-key: bad\r\nExpect: 100-continue\r\n"
                "Content-Length: 33554432\r\n\r\n");
    const auto response = client.readResponse(1000);
    QVERIFY(response);
    QCOMPARE(response->status, 401);
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QVERIFY(response->body.contains("invalid_api_key"));
    QVERIFY(!client.buffer().contains("100 Continue"));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(m_checked, 1);
    QCOMPARE(m_checkedPath, QByteArray("/v1/responses"));
    QCOMPARE(m_handled, 0);
}

void tst_HeadCheck::refusedHead_bodyAlreadyStreaming_answeredAndClosed()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /v1/responses HTTP/1.1\r\nHost: x\r\nx-api-key: bad\r\nContent-Length: 1048576\r\n\r\n");
    client.send(QByteArray(64 * 1024, 'x')); // keeps sending: the server reads nothing of it into a request
    const auto response = client.readResponse(1000);
    QVERIFY(response);
    QCOMPARE(response->status, 401);
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(m_handled, 0);
}

void tst_HeadCheck::acceptedHead_100ThenBodyHandled()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /v1/responses HTTP/1.1\r\nHost: x\r\nx-api-key: good\r\nExpect: 100-continue\r\n"
                "Content-Length: 4\r\n\r\n");
    const auto interim = client.readResponse(1000);
    QVERIFY(interim);
    QCOMPARE(interim->statusLine, QByteArray("HTTP/1.1 100 Continue"));
    QCOMPARE(m_checked, 1);
    QCOMPARE(m_checkedKey, QByteArray("good"));
    client.send("data");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, QByteArray("data"));
    QCOMPARE(m_handled, 1);
}

void tst_HeadCheck::wholeRequestInOneWrite_handlerDecidesAlone()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("POST /v1/responses HTTP/1.1\r\nHost: x\r\nx-api-key: bad\r\nContent-Length: 4\r\n\r\ndata");
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200); // nothing was left to save: the handler (the proxy's auth) decides
    QCOMPARE(m_checked, 0);
    QCOMPARE(m_handled, 1);
}

QTEST_GUILESS_MAIN(tst_HeadCheck)
#include "tst_headcheck.moc"
