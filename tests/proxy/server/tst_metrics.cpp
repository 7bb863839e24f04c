// SPDX-License-Identifier: MIT
// Integration: GET /metrics of the real proxy on its thread, after real traffic from real clients to a
// FakeUpstream started here; the exposition is checked by promtool. Who may read it: tst_metricsaccess.cpp.
#include "tests/proxy/server/MetricsTestSupport.h"
#include "tests/proxy/server/ProxyServerTestSupport.h"

#include <QNetworkAccessManager>
#include <QWebSocket>

using namespace Proxy;
using namespace TestSupport;

namespace {

const QByteArray PiSeries = R"({key_id="1",key="pi-laptop",prefix="sk-kg-)" "\xE2\x80\xA6" R"(Q3xf"})";
const QByteArray CiSeries = R"({key_id="2",key="ci",prefix="sk-kg-)" "\xE2\x80\xA6" R"(A1b2"})";

QList<QPair<QByteArray, QByteArray>> bearer(QByteArrayView key)
{
    return {{"Authorization", "Bearer " + key.toByteArray()}};
}

/// The current value of @p series in a fresh scrape.
double scraped(quint16 port, const QByteArray &series)
{
    QNetworkAccessManager nam;
    return sampleValue(scrapeMetrics(nam, port).body, series);
}

} // namespace

class tst_Metrics final : public QObject
{
    Q_OBJECT

private slots:
    void metrics_realTraffic_countedAndPassesPromtool();
    void metrics_hostileNames_escapedAndPassPromtool();
    void metrics_neverCarryKeysHashesOrTokens();
    void metrics_perKeyCounters_startFromStoredTotals();
    void metrics_requestCounter_startsFromStoredCounts();
    void metrics_openStreamAndWebSocket_gaugesFollowThem();
    void metrics_storeHealthAndPoolStates_read();
    void metrics_throttledAttempts_counted();
};

void tst_Metrics::metrics_realTraffic_countedAndPassesPromtool()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.pricing = std::make_shared<const PricingTable>(*PricingTable::fromJson(
        "{\"models\":{\"gpt-5.4*\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15}}}"));
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", bearer(ProxyTestHarness::CiKey), StreamBody).status,
             200);
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses",
                         bearer("sk-kg-UnknownUnknownUnknownUnknownUnknownUnknownZZ99"), StreamBody)
                 .status,
             401);
    fake.setDefaultReply(FakeUpstream::Reply::json({{QStringLiteral("error"), QStringLiteral("boom")}}, 500));
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 500);
    QTRY_COMPARE(proxy.allRecords().size(), 4);

    const ProxyResponse metrics = scrapeMetrics(nam, proxy.port);
    QCOMPARE(metrics.status, 200);
    QCOMPARE(metrics.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const QString problems = promtoolProblems(metrics.body);
    QVERIFY2(problems.isEmpty(), qPrintable(problems + u'\n' + QString::fromUtf8(metrics.body)));
    const QByteArray &body = metrics.body;
    QVERIFY(body.contains("# HELP keygate_requests_total "));
    QVERIFY(body.contains("# TYPE keygate_requests_total counter\n"));
    QCOMPARE(sampleValue(body, R"(keygate_requests_total{route="/v1/responses",status="200",outcome="ok"})"), 2.0);
    QCOMPARE(sampleValue(body, R"(keygate_requests_total{route="/v1/responses",status="401",outcome="denied"})"), 1.0);
    QCOMPARE(sampleValue(body, R"(keygate_auth_decisions_total{result="accepted",header="x-api-key"})"), 2.0);
    QCOMPARE(sampleValue(body, R"(keygate_auth_decisions_total{result="accepted",header="bearer"})"), 1.0);
    QCOMPARE(sampleValue(body, R"(keygate_auth_decisions_total{result="denied",header="bearer"})"), 1.0);
    QCOMPARE(sampleValue(body, "keygate_key_requests_total" + PiSeries), 2.0);
    QCOMPARE(sampleValue(body, "keygate_key_requests_total" + CiSeries), 1.0);
    QCOMPARE(sampleValue(body, "keygate_key_input_tokens_total" + PiSeries), 1200.0);
    QCOMPARE(sampleValue(body, "keygate_key_cached_tokens_total" + PiSeries), 1000.0);
    QCOMPARE(sampleValue(body, "keygate_key_output_tokens_total" + PiSeries), 80.0);
    QCOMPARE(sampleValue(body, "keygate_key_reasoning_tokens_total" + PiSeries), 30.0);
    // 200 billable input × 2.5 + 1000 cached × 0.25 + 80 output × 15 = 1950 micro-dollars
    QCOMPARE(sampleValue(body, "keygate_key_cost_microdollars_total" + PiSeries), 1950.0);
    QCOMPARE(sampleValue(body, R"(keygate_upstream_requests_total{account_id="1",account="default",status="200"})"),
             2.0);
    QCOMPARE(sampleValue(body, R"(keygate_upstream_requests_total{account_id="1",account="default",status="500"})"),
             1.0);
    QCOMPARE(sampleValue(body, "keygate_request_duration_seconds_count"), 4.0);
    QCOMPARE(sampleValue(body, R"(keygate_request_duration_seconds_bucket{le="+Inf"})"), 4.0);
    QVERIFY(sampleValue(body, "keygate_time_to_first_byte_seconds_count") >= 2.0);
    QCOMPARE(sampleValue(body, R"(keygate_pool_accounts{state="active"})"), 1.0);
    QCOMPARE(sampleValue(body, "keygate_open_streams"), 0.0);
    QCOMPARE(sampleValue(body, "keygate_open_websockets"), 0.0);
    QCOMPARE(sampleValue(body, "keygate_store_queue_depth"), 0.0);
}

void tst_Metrics::metrics_hostileNames_escapedAndPassPromtool()
{
    // A key name that would end the label and inject a series of its own if it were not escaped.
    const QString hostile = QStringLiteral("evil\"} 1\nkeygate_injected_total 99\n# TYPE x counter\\");
    auto keys = std::make_shared<KeySnapshot>();
    keys->insert(keyDigest(ProxyTestHarness::PiKey),
                 {1, hostile, QStringLiteral("sk-kg-\u2026Q3xf"), true, {}, QDateTime::currentDateTimeUtc(), {}});
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.initialKeys = keys;
    QVERIFY(proxy.startWith(fake, canned()));
    proxy.config.accounts.first().name = hostile; // an account name is the user's text too
    proxy.controller.applyConfig(proxy.config);
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(proxy.allRecords().size(), 1);

    const QByteArray body = scrapeMetrics(nam, proxy.port).body;
    const QString problems = promtoolProblems(body);
    QVERIFY2(problems.isEmpty(), qPrintable(problems + u'\n' + QString::fromUtf8(body)));
    const QByteArray escaped = R"(evil\"} 1\nkeygate_injected_total 99\n# TYPE x counter\\)";
    QCOMPARE(sampleValue(body, R"(keygate_key_requests_total{key_id="1",key=")" + escaped
                                   + R"(",prefix="sk-kg-)" "\xE2\x80\xA6" R"(Q3xf"})"),
             1.0);
    QCOMPARE(sampleValue(body, R"(keygate_upstream_requests_total{account_id="1",account=")" + escaped
                                   + R"(",status="200"})"),
             1.0);
    for (const QByteArray &line : body.split('\n')) {
        QVERIFY2(!line.startsWith("keygate_injected_total"), line.constData());
        QVERIFY2(!line.startsWith("# TYPE x "), line.constData());
    }
}

void tst_Metrics::metrics_neverCarryKeysHashesOrTokens()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const QByteArray body = scrapeMetrics(nam, proxy.port).body;
    QVERIFY(body.contains("keygate_key_requests_total"));
    for (const QByteArrayView key : {ProxyTestHarness::PiKey, ProxyTestHarness::CiKey}) {
        const QByteArray digest = keyDigest(key);
        for (const QByteArray &secret : {key.toByteArray(), key.sliced(6).toByteArray(), digest.toHex(),
                                         digest.toHex().toUpper(), digest.toBase64(), digest.left(8).toHex()})
            QVERIFY2(!body.contains(secret), secret.constData());
    }
    QVERIFY(!body.contains("upstream-token"));
    QVERIFY(!body.contains(ProxyTestHarness::PlaceholderJwt.toByteArray()));
}

void tst_Metrics::metrics_perKeyCounters_startFromStoredTotals()
{
    // The store's lifetime totals, as ProxyRuntime applies them at every start (see tst_serve for a restart).
    UsageTotals stored;
    stored.requestCount = 40;
    stored.input = 5000;
    stored.cached = 4000;
    stored.output = 300;
    stored.reasoning = 100;
    stored.total = 5300;
    stored.costUsd = 0.123456;
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.controller.applyUsageBaseline({{1, stored}});
    QVERIFY(proxy.startWith(fake, canned()));
    QCOMPARE(scraped(proxy.port, "keygate_key_requests_total" + PiSeries), 40.0);
    QCOMPARE(scraped(proxy.port, "keygate_key_cost_microdollars_total" + PiSeries), 123456.0);
    QCOMPARE(scraped(proxy.port, "keygate_key_requests_total" + CiSeries), 0.0);
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(scraped(proxy.port, "keygate_key_requests_total" + PiSeries), 41.0);
    QCOMPARE(scraped(proxy.port, "keygate_key_input_tokens_total" + PiSeries), 6200.0);
    QCOMPARE(scraped(proxy.port, "keygate_key_reasoning_tokens_total" + PiSeries), 130.0);
}

void tst_Metrics::metrics_requestCounter_startsFromStoredCounts()
{
    // As logged: paths as requested. Spellings of one route add up; a path no route has is "other".
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.controller.applyRequestBaseline({{QStringLiteral("/v1/responses"), 200, QStringLiteral("ok"), 5},
                                           {QStringLiteral("/backend-api/codex/v1/responses/"), 200,
                                            QStringLiteral("ok"), 2},
                                           {QStringLiteral("/backend-api/codex/responses"), 200, QStringLiteral("ok"), 1},
                                           {QStringLiteral("/v1/responses"), 401, QStringLiteral("denied"), 3},
                                           {QStringLiteral("/x\"\n"), 404, QStringLiteral("error"), 4}});
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", piHeaders(), StreamBody).status, 200);
    QTRY_COMPARE(scraped(proxy.port, R"(keygate_requests_total{route="/v1/responses",status="200",outcome="ok"})"),
                 6.0);
    const QByteArray body = scrapeMetrics(nam, proxy.port).body;
    QCOMPARE(sampleValue(body, R"(keygate_requests_total{route="/backend-api/codex/responses",status="200",outcome="ok"})"),
             3.0);
    QCOMPARE(sampleValue(body, R"(keygate_requests_total{route="/v1/responses",status="401",outcome="denied"})"), 3.0);
    QCOMPARE(sampleValue(body, R"(keygate_requests_total{route="other",status="404",outcome="error"})"), 4.0);
    const QString problems = promtoolProblems(body);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void tst_Metrics::metrics_openStreamAndWebSocket_gaugesFollowThem()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned(150))); // each event 150 ms apart: the stream stays open a while
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(proxy.port)));
    for (const auto &[name, value] : piHeaders())
        request.setRawHeader(name, value);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *stream = nam.post(request, StreamBody);
    QTRY_COMPARE(scraped(proxy.port, "keygate_open_streams"), 1.0);
    QTRY_VERIFY(stream->isFinished());
    QCOMPARE(stream->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QTRY_COMPARE(scraped(proxy.port, "keygate_open_streams"), 0.0);
    stream->deleteLater();

    QWebSocket socket;
    QNetworkRequest upgrade(QUrl(QStringLiteral("ws://127.0.0.1:%1/backend-api/codex/responses").arg(proxy.port)));
    upgrade.setRawHeader("x-api-key", ProxyTestHarness::PiKey.toByteArray());
    socket.open(upgrade);
    QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(scraped(proxy.port, "keygate_open_websockets"), 1.0);
    socket.close();
    QTRY_COMPARE(scraped(proxy.port, "keygate_open_websockets"), 0.0);
}

void tst_Metrics::metrics_storeHealthAndPoolStates_read()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl());
    proxy.addAccount(2, fake.baseUrl(), "token-2").state = AccountState::Paused;
    proxy.addAccount(3, fake.baseUrl(), QByteArray()); // no token: cannot be used
    proxy.addAccount(4, fake.baseUrl(), "token-4").state = AccountState::NeedsReauth;
    proxy.config.storeHealth = std::make_shared<StoreHealth>();
    proxy.config.storeHealth->queueDepth = 7;
    proxy.config.storeHealth->failedWrites = 3;
    QVERIFY(proxy.start());
    const QByteArray body = [&] {
        QNetworkAccessManager nam;
        return scrapeMetrics(nam, proxy.port).body;
    }();
    QCOMPARE(sampleValue(body, R"(keygate_pool_accounts{state="active"})"), 1.0);
    QCOMPARE(sampleValue(body, R"(keygate_pool_accounts{state="paused"})"), 1.0);
    QCOMPARE(sampleValue(body, R"(keygate_pool_accounts{state="no_credentials"})"), 1.0);
    QCOMPARE(sampleValue(body, R"(keygate_pool_accounts{state="needs_reauth"})"), 1.0);
    QCOMPARE(sampleValue(body, R"(keygate_pool_accounts{state="rate_limited"})"), 0.0);
    QCOMPARE(sampleValue(body, "keygate_store_queue_depth"), 7.0);
    QCOMPARE(sampleValue(body, "keygate_store_failed_writes_total"), 3.0);
    proxy.config.storeHealth->queueDepth = 2; // read at each scrape, not copied at start
    QCOMPARE(scraped(proxy.port, "keygate_store_queue_depth"), 2.0);
}

void tst_Metrics::metrics_throttledAttempts_counted()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.authFailureBudget = 1;
    QVERIFY(proxy.startWith(fake, canned()));
    QNetworkAccessManager nam;
    const auto guess = bearer("sk-kg-GuessGuessGuessGuessGuessGuessGuessGuessGuessZZ99");
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", guess, StreamBody).status, 401);
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", guess, StreamBody).status, 429);
    QCOMPARE(sendToProxy(nam, proxy.port, "POST", "/v1/responses", guess, StreamBody).status, 429);
    QCOMPARE(scraped(proxy.port, "keygate_auth_throttled_total"), 2.0);
    QCOMPARE(scraped(proxy.port, R"(keygate_auth_decisions_total{result="throttled",header="none"})"), 2.0);
    QCOMPARE(scraped(proxy.port, R"(keygate_auth_decisions_total{result="denied",header="bearer"})"), 1.0);
}

QTEST_MAIN(tst_Metrics)
#include "tst_metrics.moc"
