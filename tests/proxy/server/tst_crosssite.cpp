// SPDX-License-Identifier: MIT
// Integration: browser pages refused by the real proxy (CrossSiteGuard) — a foreign Origin, a
// Sec-Fetch-Site of another site, a WebSocket upgrade from a page, DNS rebinding — with and without
// a key, over raw sockets so that every header is the test's to choose.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/proxy/server/RawRequestTestSupport.h"
#include "tests/support/RawHttpClient.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Proxy;
using namespace TestSupport;

namespace {

QList<QByteArray> withKey(bool keyed, QList<QByteArray> lines)
{
    if (keyed)
        lines.prepend("Authorization: Bearer " + ProxyTestHarness::PiKey.toByteArray());
    return lines;
}

QJsonObject errorOf(const RawHttpClient::Response &response)
{
    return QJsonDocument::fromJson(response.body).object().value(u"error").toObject();
}

} // namespace

class tst_CrossSite final : public QObject
{
    Q_OBJECT

private slots:
    void foreignOrigin_refused403TracedCrossSite_data();
    void foreignOrigin_refused403TracedCrossSite();
    void allowedOrigin_served_data();
    void allowedOrigin_served();
    void secFetchSite_otherSite_refused403_data();
    void secFetchSite_otherSite_refused403();
    void secFetchSite_sameOriginOrNone_served_data();
    void secFetchSite_sameOriginOrNone_served();
    void webSocketUpgrade_foreignOrigin_refused403NotUpgraded();
    void dnsRebinding_anonymousWithForeignHost_refused401();
};

void tst_CrossSite::foreignOrigin_refused403TracedCrossSite_data()
{
    QTest::addColumn<bool>("requireKey");
    QTest::addColumn<bool>("keyed");
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("anonymous, evil page") << false << false << QByteArray("https://evil.example");
    QTest::newRow("keyed, evil page") << true << true << QByteArray("https://evil.example");
    QTest::newRow("keyed, require-key off") << false << true << QByteArray("https://evil.example");
    QTest::newRow("opaque origin null") << false << false << QByteArray("null");
    QTest::newRow("localhost page on another port") << false << false << QByteArray("http://localhost:5173");
    QTest::newRow("allowed origin with a path") << false << false << QByteArray("https://a.example/x");
    QTest::newRow("allowed host, other scheme") << false << false << QByteArray("http://a.example");
    QTest::newRow("empty") << false << false << QByteArray();
}

void tst_CrossSite::foreignOrigin_refused403TracedCrossSite()
{
    QFETCH(bool, requireKey);
    QFETCH(bool, keyed);
    QFETCH(QByteArray, origin);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.requireKey = requireKey;
    proxy.config.allowedOrigins = {QStringLiteral("https://a.example")};
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto response =
        exchange(client, proxy.port, proxy.rawPost("/v1/responses", Body, withKey(keyed, {"Origin: " + origin})));
    QVERIFY(response);
    QCOMPARE(response->status, 403);
    QCOMPARE(errorOf(*response).value(u"type").toString(), QStringLiteral("permission_error"));
    QCOMPARE(errorOf(*response).value(u"code").toString(), QStringLiteral("cross_site_request"));
    QCOMPARE(fake.requestCount(), 0);
    QTRY_COMPARE(proxy.allTraces().size(), 1);
    const AuthTrace trace = proxy.allTraces().first();
    QCOMPARE(toString(trace.verdict), QStringLiteral("denied"));
    QCOMPARE(trace.status, 403);
    QVERIFY2(trace.reason.startsWith(QStringLiteral("cross-site:")), qPrintable(trace.reason));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("denied"));
}

void tst_CrossSite::allowedOrigin_served_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("as configured") << QByteArray("https://a.example");
    QTest::newRow("host in upper case") << QByteArray("https://A.EXAMPLE");
    QTest::newRow("default port spelled out") << QByteArray("https://a.example:443");
    QTest::newRow("second entry") << QByteArray("http://localhost:5173");
}

void tst_CrossSite::allowedOrigin_served()
{
    QFETCH(QByteArray, origin);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.allowedOrigins = {QStringLiteral("https://a.example"), QStringLiteral("http://localhost:5173")};
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto response =
        exchange(client, proxy.port, proxy.rawPost("/v1/responses", Body, withKey(true, {"Origin: " + origin})));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(fake.requestCount(), 1);
}

void tst_CrossSite::secFetchSite_otherSite_refused403_data()
{
    QTest::addColumn<QByteArray>("site");
    QTest::newRow("cross-site") << QByteArray("cross-site");
    QTest::newRow("same-site") << QByteArray("same-site");
    QTest::newRow("upper case") << QByteArray("Cross-Site");
}

void tst_CrossSite::secFetchSite_otherSite_refused403()
{
    QFETCH(QByteArray, site);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.requireKey = false;
    // Even an allowed Origin does not make a request the browser itself labels cross-site acceptable.
    proxy.config.allowedOrigins = {QStringLiteral("https://a.example")};
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto response = exchange(client, proxy.port,
                               proxy.rawPost("/v1/responses", Body,
                                             withKey(true, {"Origin: https://a.example", "Sec-Fetch-Site: " + site})));
    QVERIFY(response);
    QCOMPARE(response->status, 403);
    QCOMPARE(errorOf(*response).value(u"code").toString(), QStringLiteral("cross_site_request"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_CrossSite::secFetchSite_sameOriginOrNone_served_data()
{
    QTest::addColumn<QByteArray>("site");
    QTest::newRow("none (typed, or a tool)") << QByteArray("none");
    QTest::newRow("same-origin") << QByteArray("same-origin");
}

void tst_CrossSite::secFetchSite_sameOriginOrNone_served()
{
    QFETCH(QByteArray, site);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const auto response =
        exchange(client, proxy.port, proxy.rawPost("/v1/responses", Body, withKey(true, {"Sec-Fetch-Site: " + site})));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
}

void tst_CrossSite::webSocketUpgrade_foreignOrigin_refused403NotUpgraded()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.requireKey = false;
    QVERIFY(proxy.startWith(fake, canned()));

    // What `new WebSocket("ws://localhost:2455/v1/responses")` in a page sends.
    RawHttpClient client;
    const auto response =
        exchange(client, proxy.port,
             "GET /v1/responses HTTP/1.1\r\nHost: localhost:" + QByteArray::number(proxy.port)
                 + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://evil.example\r\n\r\n");
    QVERIFY(response);
    QCOMPARE(response->status, 403);
    QVERIFY(!response->headers.contains("sec-websocket-accept"));
    QCOMPARE(errorOf(*response).value(u"code").toString(), QStringLiteral("cross_site_request"));
}

void tst_CrossSite::dnsRebinding_anonymousWithForeignHost_refused401()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.requireKey = false;
    QVERIFY(proxy.startWith(fake, canned()));

    // A rebinding page's name now resolves to 127.0.0.1: same origin for the browser (no Origin on a
    // same-origin POST by older browsers), but its Host is the attacker's name, not a loopback one.
    RawHttpClient client;
    const QByteArray request = "POST /v1/responses HTTP/1.1\r\nHost: rebind.attacker.example:"
                               + QByteArray::number(proxy.port)
                               + "\r\nContent-Type: application/json\r\nContent-Length: "
                               + QByteArray::number(Body.size()) + "\r\n\r\n" + Body;
    const auto response = exchange(client, proxy.port, request);
    QVERIFY(response);
    QCOMPARE(response->status, 401);
    QCOMPARE(fake.requestCount(), 0);
}

QTEST_GUILESS_MAIN(tst_CrossSite)
#include "tst_crosssite.moc"
