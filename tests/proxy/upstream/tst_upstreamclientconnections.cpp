// SPDX-License-Identifier: MIT
// UpstreamClient's connections against FakeUpstream (and a local HTTPS server) over real loopback
// sockets: keep-alive reuse, the retry of a stale connection, eviction and expiry of idle ones, TLS.
#include "tests/proxy/upstream/TlsServer.h"
#include "tests/proxy/upstream/UpstreamClientTestSupport.h"
#include "tests/support/TlsUpstream.h"

#include "proxy/upstream/UpstreamClient.h"
#include "proxy/upstream/UpstreamConnectionPool.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace Proxy;
using namespace TestSupport;

class TestUpstreamClientConnections final : public QObject
{
    Q_OBJECT

private slots:
    void keepAliveReusesOneConnection();
    void staleReusedConnectionIsRetriedOnceOnFreshConnection();
    void freshConnectionClosedWithoutResponseIsNotRetried();
    void idleConnectionClosedByServerIsEvicted();
    void idleConnectionExpiresAfterIdleTimeout();
    void connectionCloseResponseIsNotReused();
    void httpsRejectsUntrustedCertificateAsConnectFailed();
    void httpsWorksWithTrustedCertificateAndReusesConnection();
    void httpsCustomCa_trustedAndConnectionNeverSharedWithoutIt();
};

void TestUpstreamClientConnections::keepAliveReusesOneConnection()
{
    FakeUpstream fake;
    fake.setReply("/a", FakeUpstream::Reply::json({{QStringLiteral("n"), 1}}));
    fake.setReply("/b", FakeUpstream::Reply::sse({"data: x\n\n", "data: y\n\n"}));
    UpstreamClient client;
    for (const QString &path : {QStringLiteral("/a"), QStringLiteral("/b"), QStringLiteral("/a")}) {
        Recorder rec;
        rec.attach(client.send(request(fake, path), testTimeouts()));
        QTRY_VERIFY(rec.done());
        QCOMPARE(rec.finishes, 1);
        QCOMPARE(client.idleConnectionCount(), 1);
    }
    QCOMPARE(fake.requestCount(), 3);
    QCOMPARE(fake.connectionCount(), 1);
    QCOMPARE(fake.requests().at(2).connectionId, fake.requests().at(0).connectionId);
}

void TestUpstreamClientConnections::staleReusedConnectionIsRetriedOnceOnFreshConnection()
{
    FakeUpstream fake;
    fake.setReply("/v1/responses", FakeUpstream::Reply::json({{QStringLiteral("ok"), true}}));
    UpstreamClient client;
    Recorder first;
    first.attach(client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts()));
    QTRY_VERIFY(first.done());
    QCOMPARE(client.idleConnectionCount(), 1);

    FakeUpstream::Reply drop;
    drop.dropConnection = true; // the server "timed out" the keep-alive connection just now
    fake.enqueueReply("/v1/responses", drop);
    Recorder second;
    second.attach(client.send(request(fake, QStringLiteral("/v1/responses"), "POST", "{}"), testTimeouts()));
    QTRY_VERIFY(second.done());
    QCOMPARE(second.failures, 0);
    QCOMPARE(second.body, QByteArray(R"({"ok":true})"));
    QCOMPARE(fake.requestCount(), 3);
    QCOMPARE(fake.connectionCount(), 2);
    QCOMPARE(fake.requests().at(2).body, QByteArray("{}"));
    QVERIFY(fake.requests().at(2).connectionId != fake.requests().at(1).connectionId);
}

void TestUpstreamClientConnections::freshConnectionClosedWithoutResponseIsNotRetried()
{
    FakeUpstream fake;
    FakeUpstream::Reply drop;
    drop.dropConnection = true;
    fake.setReply("/v1/responses", drop);
    UpstreamClient client;
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/v1/responses")), testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(rec.failures, 1);
    QCOMPARE(rec.error.kind, UpstreamError::Kind::ConnectionClosed);
    QVERIFY(!rec.error.headReceived);
    QCOMPARE(fake.requestCount(), 1);
}

void TestUpstreamClientConnections::idleConnectionClosedByServerIsEvicted()
{
    FakeUpstream fake;
    fake.setReply("/a", FakeUpstream::Reply::json({}));
    UpstreamClient client;
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/a")), testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(client.idleConnectionCount(), 1);
    fake.closeAllConnections();
    QTRY_COMPARE(client.idleConnectionCount(), 0);

    Recorder again; // a new connection is opened transparently
    again.attach(client.send(request(fake, QStringLiteral("/a")), testTimeouts()));
    QTRY_VERIFY(again.done());
    QCOMPARE(again.finishes, 1);
    QCOMPARE(fake.connectionCount(), 2);
}

void TestUpstreamClientConnections::idleConnectionExpiresAfterIdleTimeout()
{
    FakeUpstream fake;
    fake.setReply("/a", FakeUpstream::Reply::json({}));
    UpstreamClient client;
    auto *pool = client.findChild<UpstreamConnectionPool *>();
    QVERIFY(pool);
    QCOMPARE(pool->idleTimeoutMs(), 60'000);
    pool->setIdleTimeoutMs(150);
    QSignalSpy closed(&fake, &FakeUpstream::connectionClosed);
    Recorder rec;
    rec.attach(client.send(request(fake, QStringLiteral("/a")), testTimeouts()));
    QTRY_VERIFY(rec.done());
    QCOMPARE(client.idleConnectionCount(), 1);
    QTRY_COMPARE(client.idleConnectionCount(), 0);
    QTRY_COMPARE(closed.count(), 1);
}

void TestUpstreamClientConnections::connectionCloseResponseIsNotReused()
{
    FakeUpstream fake;
    auto reply = FakeUpstream::Reply::json({});
    reply.closeConnection = true;
    fake.setReply("/a", reply);
    UpstreamClient client;
    for (int i = 0; i < 2; ++i) {
        Recorder rec;
        rec.attach(client.send(request(fake, QStringLiteral("/a")), testTimeouts()));
        QTRY_VERIFY(rec.done());
        QCOMPARE(rec.finishes, 1);
        QCOMPARE(client.idleConnectionCount(), 0);
    }
    QCOMPARE(fake.connectionCount(), 2);
}

void TestUpstreamClientConnections::httpsRejectsUntrustedCertificateAsConnectFailed()
{
    TlsServer server;
    QString why;
    if (!server.setUp(&why))
        QSKIP(qPrintable(why));
    UpstreamClient client;
    UpstreamRequest r;
    r.method = "GET";
    r.url = server.url();
    Recorder rec;
    rec.attach(client.send(r, testTimeouts()));
    QTRY_VERIFY_WITH_TIMEOUT(rec.done(), 10'000);
    QCOMPARE(rec.failures, 1);
    QCOMPARE(rec.error.kind, UpstreamError::Kind::ConnectFailed);
    QVERIFY2(rec.error.message.contains(u"self"), qPrintable(rec.error.message)); // "self-signed ..."
    QCOMPARE(server.requests, 0);
}

void TestUpstreamClientConnections::httpsWorksWithTrustedCertificateAndReusesConnection()
{
    TlsServer server;
    QString why;
    if (!server.setUp(&why))
        QSKIP(qPrintable(why));
    // The client uses the default (system) configuration; trust our CA there for this test only.
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = original;
    trusting.addCaCertificate(server.certificate());
    QSslConfiguration::setDefaultConfiguration(trusting);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(original); });

    UpstreamClient client;
    UpstreamRequest r;
    r.method = "GET";
    r.url = server.url(); // verified against the name "localhost" (also sent as SNI)
    for (int i = 0; i < 2; ++i) {
        Recorder rec;
        rec.attach(client.send(r, testTimeouts()));
        QTRY_VERIFY_WITH_TIMEOUT(rec.done(), 10'000);
        QVERIFY2(rec.finishes == 1, qPrintable(rec.error.message));
        QCOMPARE(rec.body, QByteArray("ok"));
    }
    QCOMPARE(server.requests, 2);
    QCOMPARE(server.connections, 1);
}

void TestUpstreamClientConnections::httpsCustomCa_trustedAndConnectionNeverSharedWithoutIt()
{
    TestPki pki;
    QString why;
    if (!pki.setUp(&why))
        QSKIP(qPrintable(why));
    const auto leaf = pki.issue(QStringLiteral("localhost"), &why);
    QVERIFY2(leaf, qPrintable(why));
    TlsUpstream server;
    QVERIFY2(server.listen(*leaf, &why), qPrintable(why));
    UpstreamClient client;
    UpstreamRequest r;
    r.method = "GET";
    r.url = server.baseUrl();
    r.caCertificates = {pki.ca()};
    Recorder trusted;
    trusted.attach(client.send(r, testTimeouts()));
    QTRY_VERIFY_WITH_TIMEOUT(trusted.done(), 10'000);
    QVERIFY2(trusted.finishes == 1, qPrintable(trusted.error.message));
    QCOMPARE(client.idleConnectionCount(), 1);

    // Same host and port, no CA: the idle connection verified with the CA must not carry it.
    r.caCertificates.clear();
    Recorder untrusted;
    untrusted.attach(client.send(r, testTimeouts()));
    QTRY_VERIFY_WITH_TIMEOUT(untrusted.done(), 10'000);
    QCOMPARE(untrusted.failures, 1);
    QVERIFY2(untrusted.error.message.contains(u"not trusted"), qPrintable(untrusted.error.message));
    QCOMPARE(server.requests, 1);
    QCOMPARE(client.idleConnectionCount(), 1); // still parked for the account with the CA
}

QTEST_GUILESS_MAIN(TestUpstreamClientConnections)
#include "tst_upstreamclientconnections.moc"
