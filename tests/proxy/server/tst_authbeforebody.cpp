// SPDX-License-Identifier: MIT
// Integration: the real proxy decides auth, route and origin from a request's head, before its body.
// A refused head is answered at once — no `100 Continue`, no body read, the connection closed — and is
// traced and recorded once, exactly as a refusal of a whole request is; an accepted head goes on.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/proxy/server/RawRequestTestSupport.h"
#include "tests/support/RawHttpClient.h"

using namespace Proxy;
using namespace TestSupport;

namespace {

/// The head of a POST whose 32 MiB body the client has not sent, waiting for `100 Continue`.
QByteArray bigHead(const QByteArray &path, const QByteArray &extraHeader)
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeader
           + "\r\nExpect: 100-continue\r\nContent-Length: 33554432\r\n\r\n";
}

} // namespace

class tst_AuthBeforeBody final : public QObject
{
    Q_OBJECT

private slots:
    void refusedHead_answeredAtOnce_no100_tracedAndRecordedOnce_data();
    void refusedHead_answeredAtOnce_no100_tracedAndRecordedOnce();
    void acceptedHead_100ThenBodyRelayed();
};

void tst_AuthBeforeBody::refusedHead_answeredAtOnce_no100_tracedAndRecordedOnce_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("recorded");
    QTest::newRow("unknown key") << QByteArray("/v1/responses") << QByteArray("x-api-key: sk-kg-unknown0000000000000000")
                                 << 401 << true;
    QTest::newRow("no key") << QByteArray("/v1/responses") << QByteArray("User-Agent: t") << 401 << true;
    QTest::newRow("cross-site page") << QByteArray("/v1/responses")
                                     << QByteArray("Origin: https://evil.example\r\nx-api-key: "
                                                   + ProxyTestHarness::PiKey.toByteArray())
                                     << 403 << true;
    QTest::newRow("unknown route") << QByteArray("/v1/nothing") << QByteArray("User-Agent: t") << 404 << false;
}

void tst_AuthBeforeBody::refusedHead_answeredAtOnce_no100_tracedAndRecordedOnce()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, header);
    QFETCH(int, status);
    QFETCH(bool, recorded);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    RawHttpClient client;
    QVERIFY(client.connectTo(proxy.port));
    client.send(bigHead(path, header));
    const auto answer = client.readResponse(2000);
    QVERIFY(answer);
    QCOMPARE(answer->status, status);
    QVERIFY(!client.buffer().contains("100 Continue"));
    QCOMPARE(answer->headers.value("connection"), QByteArray("close"));
    QVERIFY(answer->headers.value("x-request-id").startsWith("req_"));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(fake.requestCount(), 0);
    if (!recorded) {
        QVERIFY(proxy.allRecords().isEmpty());
        return;
    }
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().status, status);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("denied"));
    QCOMPARE(proxy.allRecords().first().bytesIn, 0); // nothing of the body was read
    QTRY_COMPARE(proxy.allTraces().size(), 1);
}

void tst_AuthBeforeBody::acceptedHead_100ThenBodyRelayed()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    RawHttpClient client;
    QVERIFY(client.connectTo(proxy.port));
    client.send("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nx-api-key: "
                + ProxyTestHarness::PiKey.toByteArray() + "\r\nExpect: 100-continue\r\nContent-Length: "
                + QByteArray::number(Body.size()) + "\r\n\r\n");
    const auto interim = client.readResponse(2000);
    QVERIFY(interim);
    QCOMPARE(interim->statusLine, QByteArray("HTTP/1.1 100 Continue"));
    client.send(Body);
    const auto answer = client.readResponse(5000);
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QVERIFY(answer->body.contains("response.completed"));
    QCOMPARE(fake.requestCount(), 1);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("ok"));
    QCOMPARE(proxy.allTraces().size(), 1); // the head check traced nothing for an accepted head
}

QTEST_GUILESS_MAIN(tst_AuthBeforeBody)
#include "tst_authbeforebody.moc"
