// SPDX-License-Identifier: MIT
// Integration: the real proxy on its thread, a FakeUpstream started here, real HTTP clients.
// Refusals and error answers: upstream failures, bad requests, disabled keys, the headers every answer
// carries. The relay itself: tst_proxyserver.cpp.
#include "tests/proxy/server/ProxyServerTestSupport.h"
#include "tests/proxy/server/ProxyTestClient.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTcpServer>

using namespace Proxy;
using namespace TestSupport;

class tst_ProxyServerErrors final : public QObject
{
    Q_OBJECT

private slots:
    void upstream429_statusRetryAfterAndResetsAtInEnvelope();
    void upstreamRefused_returns502();
    void upstreamStall_returns504();
    void oversizedBody_returns413();
    void invalidJson_returns400();
    void noUpstream_returns503();
    void everyResponse_carriesServerTimingAndRequestId();
    void applyKeys_disabledKeyRefusedOnNextRequest();
    void wrongMethod_405Envelope();
    void compressedBody_415();
    void models_withoutUpstream_503();
    void frontEndError_carriesRequestIdAndServerTiming();
};

void tst_ProxyServerErrors::upstream429_statusRetryAfterAndResetsAtInEnvelope()
{
    FakeUpstream fake;
    const QJsonObject error{{QStringLiteral("error"),
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("usage_limit_reached")},
                                         {QStringLiteral("message"), QStringLiteral("limit")},
                                         {QStringLiteral("resets_at"), 1900000000}}}};
    FakeUpstream::Reply limited = FakeUpstream::Reply::json(error, 429);
    limited.headers.set("Retry-After", "120");
    fake.setDefaultReply(limited);
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 429);
    QCOMPARE(response.header("retry-after"), QByteArray("120"));
    // Pi shows usage-limit messages from the body: the reason, the type and resets_at stay.
    const QJsonObject expected{{QStringLiteral("type"), QStringLiteral("usage_limit_reached")},
                               {QStringLiteral("message"), QStringLiteral("upstream: limit")},
                               {QStringLiteral("code"), QStringLiteral("upstream_error")},
                               {QStringLiteral("param"), QJsonValue::Null},
                               {QStringLiteral("resets_at"), 1900000000}};
    QCOMPARE(response.error(), expected);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_ProxyServerErrors::upstreamRefused_returns502()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    ProxyTestHarness proxy;
    proxy.useUpstream(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort)));
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 502);
    QCOMPARE(response.json().value(u"error").toObject().value(u"type").toString(), QStringLiteral("server_error"));
}

void tst_ProxyServerErrors::upstreamStall_returns504()
{
    FakeUpstream fake;
    fake.setDefaultReply(FakeUpstream::Reply::stalled());
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    proxy.config.timeouts.firstByteMs = 300;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 504);
    QCOMPARE(response.errorCode(), QStringLiteral("upstream_timeout"));
}

void tst_ProxyServerErrors::oversizedBody_returns413()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    proxy.config.limits.maxBodyBytes = 1024;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), QByteArray(4096, 'x'));
    QCOMPARE(response.status, 413);
    QVERIFY(response.json().contains(u"error"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServerErrors::invalidJson_returns400()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), "{not json");
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().value(u"error").toObject().value(u"type").toString(),
             QStringLiteral("invalid_request_error"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServerErrors::noUpstream_returns503()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(response.status, 503);
    QCOMPARE(response.errorCode(), QStringLiteral("no_accounts"));
    QVERIFY(response.json().value(u"error").toObject().value(u"message").toString().contains(u"none is configured"));
}

void tst_ProxyServerErrors::everyResponse_carriesServerTimingAndRequestId()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const ProxyResponse ok = sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QVERIFY(ok.header("Server-Timing").startsWith("auth;dur="));
    QVERIFY(ok.header("x-request-id").startsWith("req_"));
    const ProxyResponse denied =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", {{"x-request-id", "client-id-7"}}, StreamBody);
    QCOMPARE(denied.status, 401);
    QVERIFY(denied.header("Server-Timing").startsWith("auth;dur="));
    // The client's id is traced, never adopted: every answer carries an id Keygate made.
    QVERIFY(denied.header("x-request-id").startsWith("req_"));
}

void tst_ProxyServerErrors::applyKeys_disabledKeyRefusedOnNextRequest()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    proxy.controller.applyKeys(ProxyTestHarness::keys(/*piEnabled*/ false));
    const ProxyResponse denied =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody);
    QCOMPARE(denied.status, 401);
    QVERIFY(denied.json().value(u"error").toObject().value(u"message").toString().contains(u"disabled"));
}

void tst_ProxyServerErrors::wrongMethod_405Envelope()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response = sendToProxy(nam, proxy.port, "DELETE", "/v1/responses", piHeaders());
    QCOMPARE(response.status, 405);
    QCOMPARE(response.errorCode(), QStringLiteral("method_not_allowed"));
}

void tst_ProxyServerErrors::compressedBody_415()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    auto headers = piHeaders();
    headers.append(qMakePair(QByteArray("Content-Encoding"), QByteArray("br"))); // zstd/gzip/deflate are decoded
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", headers, "\x1b\x03\x00");
    QCOMPARE(response.status, 415);
    QCOMPARE(response.errorCode(), QStringLiteral("unsupported_content_encoding"));
    QCOMPARE(fake.requestCount(), 0);
}

void tst_ProxyServerErrors::models_withoutUpstream_503()
{
    ProxyTestHarness proxy;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response = sendToProxy(nam, proxy.port, "GET", "/v1/models",
                                               {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(response.status, 503);
    QCOMPARE(response.errorCode(), QStringLiteral("no_accounts"));
}

void tst_ProxyServerErrors::frontEndError_carriesRequestIdAndServerTiming()
{
    ProxyTestHarness proxy;
    proxy.config.limits.maxBodyBytes = 16;
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse response =
        sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), QByteArray(64, 'x'));
    QCOMPARE(response.status, 413);
    QVERIFY(response.header("x-request-id").startsWith("req_"));
    QVERIFY(response.header("Server-Timing").startsWith("auth;dur="));
}

QTEST_GUILESS_MAIN(tst_ProxyServerErrors)
#include "tst_proxyservererrors.moc"
