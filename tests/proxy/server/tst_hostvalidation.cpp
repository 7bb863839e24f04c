// SPDX-License-Identifier: MIT
// Integration: the Host rules (HostHeader) on the real proxy on its thread, with a FakeUpstream started
// here. Raw sockets, since ordinary HTTP clients refuse to send such Host values.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/proxy/server/RawRequestTestSupport.h"
#include "tests/support/RawHttpClient.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Proxy;
using namespace TestSupport;

namespace {

/// POST /v1/responses with @p host as the Host value, and Pi's key unless @p withKey is false.
QByteArray request(const QByteArray &host, bool withKey = true)
{
    QByteArray out = "POST /v1/responses HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n";
    if (withKey)
        out += "Authorization: Bearer " + ProxyTestHarness::PiKey.toByteArray() + "\r\n";
    return out + "Content-Length: " + QByteArray::number(Body.size()) + "\r\n\r\n" + Body;
}

} // namespace

class tst_HostValidation final : public QObject
{
    Q_OBJECT

private slots:
    void invalidHost_400EnvelopeAndUpstreamUntouched_data();
    void invalidHost_400EnvelopeAndUpstreamUntouched();
    void validHost_keyedRequestRelayed_data();
    void validHost_keyedRequestRelayed();
    void invalidHost_afterValidRequestOnSameConnection_400AndClose();
    void trailingDotLocalhost_requireKeyOff_notLocal();
};

void tst_HostValidation::invalidHost_400EnvelopeAndUpstreamUntouched_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("userinfo") << QByteArray("user@127.0.0.1");
    QTest::newRow("space inside") << QByteArray("127.0.0.1 x");
    QTest::newRow("empty port") << QByteArray("127.0.0.1:");
    QTest::newRow("port over 65535") << QByteArray("127.0.0.1:65536");
    QTest::newRow("IPv6 without brackets") << QByteArray("::1");
    QTest::newRow("percent sign") << QByteArray("%3127.0.0.1");
    QTest::newRow("empty label") << QByteArray("localhost..");
    QTest::newRow("garbage after ]") << QByteArray("[::1]x");
    QTest::newRow("empty value") << QByteArray();
}

void tst_HostValidation::invalidHost_400EnvelopeAndUpstreamUntouched()
{
    QFETCH(QByteArray, host);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto response = exchange(client, proxy.port, request(host));
    QVERIFY(response);
    QCOMPARE(response->status, 400);
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QCOMPARE(response->headers.value("content-type"), QByteArray("application/json"));
    const QJsonObject error = QJsonDocument::fromJson(response->body).object().value(u"error").toObject();
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("invalid_host"));
    QVERIFY2(error.value(u"message").toString().startsWith(u"Invalid Host: "), response->body.constData());
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(fake.requestCount(), 0);
    QCOMPARE(fake.connectionCount(), 0);
}

void tst_HostValidation::validHost_keyedRequestRelayed_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("localhost") << QByteArray("localhost");
    QTest::newRow("127.0.0.1 with port") << QByteArray("127.0.0.1:2455");
    QTest::newRow("bracketed IPv6 with port") << QByteArray("[::1]:2455");
    QTest::newRow("trailing dot") << QByteArray("example.com.");
    QTest::newRow("port 65535") << QByteArray("a-b.c:65535");
}

void tst_HostValidation::validHost_keyedRequestRelayed()
{
    QFETCH(QByteArray, host);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto response = exchange(client, proxy.port, request(host));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(response->body.contains("response.completed"));
    QCOMPARE(fake.requestCount(), 1);
    // The upstream gets its own Host, never the client's.
    QCOMPARE(fake.lastRequest().headers.value("host"), QByteArray("127.0.0.1:" + QByteArray::number(fake.port())));
}

void tst_HostValidation::invalidHost_afterValidRequestOnSameConnection_400AndClose()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto first = exchange(client, proxy.port, request("localhost"));
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(first->headers.value("connection"), QByteArray("keep-alive"));
    client.send(request("user@localhost"));
    const auto second = client.readResponse(5000);
    QVERIFY(second);
    QCOMPARE(second->status, 400);
    QVERIFY(second->body.contains("invalid_host"));
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(fake.requestCount(), 1);
}

void tst_HostValidation::trailingDotLocalhost_requireKeyOff_notLocal()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.requireKey = false;
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient local;
    const auto allowed = exchange(local, proxy.port, request("localhost:" + QByteArray::number(proxy.port), false));
    QVERIFY(allowed);
    QCOMPARE(allowed->status, 200);

    RawHttpClient dotted;
    const auto refused = exchange(dotted, proxy.port, request("localhost.:" + QByteArray::number(proxy.port), false));
    QVERIFY(refused);
    QCOMPARE(refused->status, 401);
    QVERIFY2(refused->body.contains("remote access"), refused->body.constData());
    QCOMPARE(fake.requestCount(), 1);
}

QTEST_GUILESS_MAIN(tst_HostValidation)
#include "tst_hostvalidation.moc"
