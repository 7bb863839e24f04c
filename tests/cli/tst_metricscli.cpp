// SPDX-License-Identifier: MIT
// End to end: GET /metrics of the built `keygate serve` after real traffic to a FakeUpstream started here —
// promtool accepts it, per-key counters survive a restart, and `settings set metrics-access` applies live.
#include "tests/cli/KeygateProcess.h"
#include "tests/proxy/server/MetricsTestSupport.h"
#include "tests/support/FakeUpstream.h"

#include <QTemporaryDir>


using namespace Proxy;
using namespace TestSupport;

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","stream":true,"input":[]})";

FakeUpstream::Reply stream()
{
    return FakeUpstream::Reply::sse(FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"),
                                                                  {QStringLiteral("a"), QStringLiteral("b")},
                                                                  {300, 100, 40, 10, 340}));
}

/// `keygate_key_<what>_total{key_id="…",key="NAME",prefix="sk-kg-…LAST4"}` of @p key named @p name.
QByteArray keySeries(const QByteArray &what, const QByteArray &name, const QByteArray &key)
{
    return "keygate_key_" + what + R"(_total{key_id=")" + (name == "pi-laptop" ? "1" : "2") + R"(",key=")" + name
           + R"(",prefix="sk-kg-)" "\xE2\x80\xA6" + key.right(4) + R"("})";
}

} // namespace

class tst_MetricsCli final : public QObject
{
    Q_OBJECT

private:
    KeygateRun keygate(const QStringList &arguments) { return runKeygate(m_dir->path(), arguments); }
    QByteArray createKey(const QString &name)
    {
        return keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), name})
            .out.trimmed()
            .split('\n')
            .last();
    }
    void configureUpstream(const FakeUpstream &fake)
    {
        QCOMPARE(keygate({QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"),
                          QStringLiteral("openai"), QStringLiteral("--base-url"), fake.baseUrl().toString(),
                          QStringLiteral("--token-env"), QStringLiteral("KG_TEST_UPSTREAM_TOKEN")})
                     .exitCode,
                 0);
    }
    int post(quint16 port, const QByteArray &header, const QByteArray &key)
    {
        return sendToProxy(m_nam, port, "POST", "/v1/responses", {{header, key}}, Body).status;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QNetworkAccessManager m_nam;

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at keygate");
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void serve_metricsAfterTraffic_passPromtoolAndSurviveRestart()
    {
        FakeUpstream fake;
        fake.setDefaultReply(stream());
        configureUpstream(fake);
        const QByteArray pi = createKey(QStringLiteral("pi-laptop"));
        const QByteArray ci = createKey(QStringLiteral("ci"));
        QProcess serve;
        quint16 port = startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        QCOMPARE(post(port, "x-api-key", pi), 200);
        QCOMPARE(post(port, "Authorization", "Bearer " + pi), 200);
        QCOMPARE(post(port, "Authorization", "Bearer " + ci), 200);
        QCOMPARE(post(port, "Authorization", "Bearer sk-kg-NotAKeyNotAKeyNotAKeyNotAKeyNotAKeyNotAKZZ99"), 401);
        const ProxyResponse before = scrapeMetrics(m_nam, port);
        QCOMPARE(before.status, 200);
        const QString problems = promtoolProblems(before.body);
        QVERIFY2(problems.isEmpty(), qPrintable(problems + u'\n' + QString::fromUtf8(before.body)));
        QCOMPARE(sampleValue(before.body, keySeries("requests", "pi-laptop", pi)), 2.0);
        QCOMPARE(sampleValue(before.body, keySeries("requests", "ci", ci)), 1.0);
        QCOMPARE(sampleValue(before.body, keySeries("input_tokens", "pi-laptop", pi)), 600.0);
        QCOMPARE(sampleValue(before.body, R"(keygate_requests_total{route="/v1/responses",status="401",outcome="denied"})"),
                 1.0);
        QVERIFY(!before.body.contains(pi) && !before.body.contains(ci) && !before.body.contains("upstream-secret-token"));
        QVERIFY(TestSupport::stopKeygateServe(serve));

        port = startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        const QByteArray after = scrapeMetrics(m_nam, port).body;
        for (const QByteArray &what : {QByteArray("requests"), QByteArray("input_tokens"),
                                       QByteArray("cached_tokens"), QByteArray("output_tokens"),
                                       QByteArray("reasoning_tokens"), QByteArray("cost_microdollars")})
            QCOMPARE(sampleValue(after, keySeries(what, "pi-laptop", pi)),
                     sampleValue(before.body, keySeries(what, "pi-laptop", pi)));
        QCOMPARE(sampleValue(after, keySeries("requests", "ci", ci)), 1.0);
        for (const QByteArray &series : {QByteArray(R"(keygate_requests_total{route="/v1/responses",status="200",outcome="ok"})"),
                                         QByteArray(R"(keygate_requests_total{route="/v1/responses",status="401",outcome="denied"})")})
            QCOMPARE(sampleValue(after, series), sampleValue(before.body, series));
        QCOMPARE(post(port, "x-api-key", pi), 200);
        QTRY_COMPARE(sampleValue(scrapeMetrics(m_nam, port).body, keySeries("requests", "pi-laptop", pi)), 3.0);
        QCOMPARE(sampleValue(scrapeMetrics(m_nam, port).body, keySeries("output_tokens", "pi-laptop", pi)), 120.0);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void settings_metricsAccess_validatedAndAppliedLive()
    {
        const KeygateRun bad = keygate({QStringLiteral("settings"), QStringLiteral("set"),
                                        QStringLiteral("metrics-access"), QStringLiteral("public")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("metrics-access: expected loopback, key or off"), bad.err.constData());
        QVERIFY(keygate({QStringLiteral("settings"), QStringLiteral("show")}).out.contains("metrics-access: loopback\n"));
        const QByteArray key = createKey(QStringLiteral("scraper"));
        QProcess serve;
        const quint16 port = startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        QCOMPARE(scrapeMetrics(m_nam, port).status, 200);

        const KeygateRun off = keygate({QStringLiteral("settings"), QStringLiteral("set"),
                                        QStringLiteral("metrics-access"), QStringLiteral("off")});
        QCOMPARE(off.exitCode, 0);
        QVERIFY(off.out.contains("metrics-access: off\n"));
        QTRY_COMPARE_WITH_TIMEOUT(scrapeMetrics(m_nam, port).status, 404, 1500);
        QCOMPARE(scrapeMetrics(m_nam, port).errorCode(), QStringLiteral("not_found"));

        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("metrics-access"),
                          QStringLiteral("key")})
                     .exitCode,
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(scrapeMetrics(m_nam, port).status, 401, 1500);
        QCOMPARE(scrapeMetrics(m_nam, port, {{"Authorization", "Bearer " + key}}).status, 200);
        QCOMPARE(keygate({QStringLiteral("keys"), QStringLiteral("disable"), QStringLiteral("scraper")}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(scrapeMetrics(m_nam, port, {{"Authorization", "Bearer " + key}}).status, 401, 1500);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }
};

QTEST_MAIN(tst_MetricsCli)
#include "tst_metricscli.moc"
