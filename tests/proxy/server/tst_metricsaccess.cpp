// SPDX-License-Identifier: MIT
// Integration: who may read GET /metrics (the metrics-access setting) — the real proxy on its thread,
// real clients, refusals in the OpenAI envelope. What it says: tst_metrics.cpp.
#include "tests/proxy/server/MetricsTestSupport.h"
#include "tests/proxy/server/ProxyServerTestSupport.h"
#include "tests/support/RawHttpClient.h"

#include <QNetworkAccessManager>
#include <QNetworkInterface>

using namespace Proxy;
using namespace TestSupport;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

Headers bearer(QByteArrayView key)
{
    return {{"Authorization", "Bearer " + key.toByteArray()}};
}

/// A raw GET /metrics with @p host and extra header lines, to 127.0.0.1:@p port.
RawHttpClient::Response rawScrape(quint16 port, const QByteArray &host, const QList<QByteArray> &lines = {})
{
    RawHttpClient client;
    if (!client.connectTo(port))
        return {};
    QByteArray request = "GET /metrics HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const QByteArray &line : lines)
        request += line + "\r\n";
    client.send(request + "Connection: close\r\n\r\n");
    return client.readResponse(5000).value_or(RawHttpClient::Response{});
}

QString errorCode(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(u"error").toObject().value(u"code").toString();
}

bool tracedMetrics(const ProxyTestHarness &proxy)
{
    const QList<AuthTrace> traces = proxy.allTraces();
    return std::any_of(traces.cbegin(), traces.cend(), [](const AuthTrace &t) { return t.path == u"/metrics"; });
}

} // namespace

class tst_MetricsAccess final : public QObject
{
    Q_OBJECT

private slots:
    void loopback_localScrape_servedUntracedUncounted();
    void loopback_relayedOrRebound_refused403_data();
    void loopback_relayedOrRebound_refused403();
    void loopback_nonLoopbackPeer_refused403EvenWithKey();
    void key_onlyValidKeys_data();
    void key_onlyValidKeys();
    void key_scrapes_notCountedAsUsage();
    void off_notFoundLikeAnyUnknownRoute();
    void wrongMethod_405();
    void access_appliedLive();
};

void tst_MetricsAccess::loopback_localScrape_servedUntracedUncounted()
{
    FakeUpstream fake;
    ProxyTestHarness proxy; // metrics-access defaults to loopback
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse scrape = scrapeMetrics(nam, proxy.port);
    QCOMPARE(scrape.status, 200);
    QVERIFY(scrape.body.contains("# TYPE keygate_requests_total counter"));
    QCOMPARE(rawScrape(proxy.port, "localhost:" + QByteArray::number(proxy.port)).status, 200);
    // A request after the scrapes flushes the batch they would be in.
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QTRY_VERIFY(!proxy.allTraces().isEmpty());
    QVERIFY(!tracedMetrics(proxy));
    QCOMPARE(sampleValue(scrapeMetrics(nam, proxy.port).body, R"(keygate_auth_decisions_total{result="anonymous",header="none"})"),
             -1.0);
}

void tst_MetricsAccess::loopback_relayedOrRebound_refused403_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::newRow("x-forwarded-for") << QByteArray("127.0.0.1") << QList<QByteArray>{"X-Forwarded-For: 127.0.0.1"};
    QTest::newRow("forwarded") << QByteArray("127.0.0.1") << QList<QByteArray>{"Forwarded: for=127.0.0.1"};
    QTest::newRow("x-real-ip") << QByteArray("127.0.0.1") << QList<QByteArray>{"X-Real-IP: 127.0.0.1"};
    QTest::newRow("empty forwarded-for") << QByteArray("127.0.0.1") << QList<QByteArray>{"X-Forwarded-For:"};
    QTest::newRow("dns rebinding host") << QByteArray("metrics.evil.example") << QList<QByteArray>{};
    QTest::newRow("localhost. host") << QByteArray("localhost.") << QList<QByteArray>{};
    QTest::newRow("two hosts") << QByteArray("127.0.0.1") << QList<QByteArray>{"Host: evil.example"};
    QTest::newRow("web page") << QByteArray("127.0.0.1") << QList<QByteArray>{"Origin: https://evil.example"};
    QTest::newRow("cross-site fetch") << QByteArray("127.0.0.1") << QList<QByteArray>{"Sec-Fetch-Site: cross-site"};
    QTest::newRow("with a valid key") << QByteArray("127.0.0.1")
                                      << QList<QByteArray>{"X-Forwarded-For: 203.0.113.9",
                                                           "Authorization: Bearer "
                                                               + ProxyTestHarness::PiKey.toByteArray()};
}

void tst_MetricsAccess::loopback_relayedOrRebound_refused403()
{
    QFETCH(QByteArray, host);
    QFETCH(QList<QByteArray>, lines);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    const RawHttpClient::Response refused = rawScrape(proxy.port, host, lines);
    QVERIFY2(refused.status == 403 || refused.status == 400, refused.statusLine.constData()); // two Hosts: 400
    if (refused.status == 403) {
        QCOMPARE(errorCode(refused.body), QStringLiteral("metrics_loopback_only"));
        QCOMPARE(QJsonDocument::fromJson(refused.body).object().value(u"error").toObject().value(u"type").toString(),
                 QStringLiteral("permission_error"));
    }
    QVERIFY(!refused.body.contains("keygate_"));
}

void tst_MetricsAccess::loopback_nonLoopbackPeer_refused403EvenWithKey()
{
    QHostAddress external;
    for (const QHostAddress &address : QNetworkInterface::allAddresses())
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            external = address;
    QVERIFY2(!external.isNull(), "this test needs a non-loopback IPv4 address to connect from");
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.listenAddress = QHostAddress::AnyIPv4;
    QVERIFY(proxy.startWith(fake, canned()));
    for (const Headers &headers : {Headers{}, bearer(ProxyTestHarness::PiKey)}) {
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(QStringLiteral("http://%1:%2/metrics").arg(external.toString()).arg(proxy.port)));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply = nam.get(request);
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
        QCOMPARE(errorCode(reply->readAll()), QStringLiteral("metrics_loopback_only"));
        delete reply;
    }
}

void tst_MetricsAccess::key_onlyValidKeys_data()
{
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    const QByteArray pi = ProxyTestHarness::PiKey.toByteArray();
    QTest::newRow("no key") << Headers{} << 401;
    QTest::newRow("unknown key") << bearer("sk-kg-UnknownUnknownUnknownUnknownUnknownUnknownZZ99") << 401;
    QTest::newRow("disabled key") << bearer(ProxyTestHarness::PiKey) << 401;
    QTest::newRow("the upstream's token") << bearer("upstream-token") << 401;
    QTest::newRow("valid bearer") << bearer(ProxyTestHarness::CiKey) << 200;
    QTest::newRow("valid x-api-key") << Headers{{"x-api-key", ProxyTestHarness::CiKey.toByteArray()}} << 200;
    QTest::newRow("pi placeholder + x-api-key")
        << Headers{{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
                   {"x-api-key", ProxyTestHarness::CiKey.toByteArray()}}
        << 200;
}

void tst_MetricsAccess::key_onlyValidKeys()
{
    QFETCH(Headers, headers);
    QFETCH(int, status);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.initialKeys = ProxyTestHarness::keys(false); // pi-laptop disabled, ci enabled
    proxy.config.metricsAccess = MetricsAccess::Key;
    proxy.config.requireKey = false; // a local request without a key is still refused here
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse answer = scrapeMetrics(nam, proxy.port, headers);
    QCOMPARE(answer.status, status);
    if (status == 200) {
        QVERIFY(answer.body.contains("# TYPE keygate_requests_total counter"));
    } else {
        QCOMPARE(answer.errorCode(), QStringLiteral("invalid_api_key"));
        QVERIFY(!answer.body.contains("keygate_"));
    }
    QTRY_VERIFY(tracedMetrics(proxy)); // every key decision on /metrics is in the auth trace
}

void tst_MetricsAccess::key_scrapes_notCountedAsUsage()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.metricsAccess = MetricsAccess::Key;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(scrapeMetrics(nam, proxy.port, bearer(ProxyTestHarness::PiKey)).status, 200);
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    // Records are batched in order: had the scrapes before it been recorded, they would be here too.
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().constFirst().route, QStringLiteral("/v1/responses"));
    const QByteArray body = scrapeMetrics(nam, proxy.port, bearer(ProxyTestHarness::PiKey)).body;
    QCOMPARE(sampleValue(body, R"(keygate_key_requests_total{key_id="1",key="pi-laptop",prefix="sk-kg-)"
                               "\xE2\x80\xA6" R"(Q3xf"})"),
             1.0);
    QCOMPARE(sampleValue(body, R"(keygate_requests_total{route="/metrics",status="200",outcome="ok"})"), -1.0);
    const ProxyResponse usage = sendToProxy(nam, proxy.port, "GET", "/v1/usage", bearer(ProxyTestHarness::PiKey));
    QCOMPARE(usage.json().value(u"request_count").toInteger(), 1);
}

void tst_MetricsAccess::off_notFoundLikeAnyUnknownRoute()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.metricsAccess = MetricsAccess::Off;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    for (const Headers &headers : {Headers{}, bearer(ProxyTestHarness::PiKey)}) {
        const ProxyResponse off = scrapeMetrics(nam, proxy.port, headers);
        QCOMPARE(off.status, 404);
        QCOMPARE(off.errorCode(), QStringLiteral("not_found"));
        QCOMPARE(off.error().value(u"type").toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(off.error().value(u"message").toString(), QStringLiteral("Unknown route: GET /metrics"));
    }
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/metrics", {}, "{}").status, 404); // not 405: nothing is there
}

void tst_MetricsAccess::wrongMethod_405()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse post = sendToProxy(nam, proxy.port, "POST", "/metrics", {}, "{}");
    QCOMPARE(post.status, 405);
    QCOMPARE(post.errorCode(), QStringLiteral("method_not_allowed"));
}

void tst_MetricsAccess::access_appliedLive()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(scrapeMetrics(nam, proxy.port).status, 200);
    proxy.config.metricsAccess = MetricsAccess::Off;
    proxy.controller.applyConfig(proxy.config);
    QTRY_COMPARE(scrapeMetrics(nam, proxy.port).status, 404);
    proxy.config.metricsAccess = MetricsAccess::Key;
    proxy.controller.applyConfig(proxy.config);
    QTRY_COMPARE(scrapeMetrics(nam, proxy.port).status, 401);
    QCOMPARE(scrapeMetrics(nam, proxy.port, bearer(ProxyTestHarness::CiKey)).status, 200);
}

QTEST_MAIN(tst_MetricsAccess)
#include "tst_metricsaccess.moc"
