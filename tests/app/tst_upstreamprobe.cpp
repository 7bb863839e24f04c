// SPDX-License-Identifier: MIT
#include "tests/support/FakeUpstream.h"
#include "tests/support/TlsUpstream.h"

#include "app/core/services/UpstreamProbe.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace Core;
using Proxy::FakeUpstream;
using Outcome = UpstreamProbeResult::Outcome;

namespace {

Proxy::UpstreamConfig openai(const QUrl &base, const QByteArray &token = "sk-up-secret-1")
{
    Proxy::UpstreamConfig config;
    config.kind = Proxy::UpstreamConfig::Kind::OpenAI;
    config.baseUrl = base;
    config.token = token;
    return config;
}

QJsonObject modelList(int count)
{
    QJsonArray data;
    for (int i = 0; i < count; ++i)
        data.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("model-%1").arg(i)}});
    return QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
}

UpstreamProbeResult run(UpstreamProbe &probe, const Proxy::UpstreamConfig &config)
{
    QSignalSpy finished(&probe, &UpstreamProbe::finished);
    probe.start(config);
    if (!finished.wait(15000))
        return {};
    return finished.constFirst().constFirst().value<UpstreamProbeResult>();
}

} // namespace

class tst_UpstreamProbe final : public QObject
{
    Q_OBJECT

private slots:
    void start_companyCaUpstream_trustedOnlyWithTheAccountsCa()
    {
        TestSupport::TestPki pki;
        QString why;
        if (!pki.setUp(&why))
            QSKIP(qPrintable(why));
        const auto leaf = pki.issue(QStringLiteral("localhost"), &why);
        QVERIFY2(leaf, qPrintable(why));
        TestSupport::TlsUpstream upstream;
        upstream.responseBody = QJsonDocument(modelList(2)).toJson(QJsonDocument::Compact);
        QVERIFY2(upstream.listen(*leaf, &why), qPrintable(why));
        UpstreamProbe probe;
        Proxy::UpstreamConfig config = openai(upstream.baseUrl());
        const UpstreamProbeResult refused = run(probe, config);
        QCOMPARE(refused.outcome, Outcome::ConnectionFailed);
        QVERIFY2(refused.text().contains(u"upstream TLS certificate is not trusted"), qPrintable(refused.text()));
        QCOMPARE(upstream.requests, 0);

        config.caCertificates = {pki.ca()};
        const UpstreamProbeResult trusted = run(probe, config);
        QVERIFY2(trusted.ok(), qPrintable(trusted.text()));
        QCOMPARE(trusted.modelCount, 2);
        QCOMPARE(upstream.requests, 1);
    }

    void start_openai200_countsModelsWithBearerToken()
    {
        FakeUpstream upstream;
        upstream.setReply("/v1/models", FakeUpstream::Reply::json(modelList(3)));
        UpstreamProbe probe;
        QUrl base = upstream.baseUrl();
        base.setPath(QStringLiteral("/v1"));
        const UpstreamProbeResult result = run(probe, openai(base));
        QVERIFY2(result.ok(), qPrintable(result.text()));
        QCOMPARE(result.httpStatus, 200);
        QCOMPARE(result.modelCount, 3);
        QVERIFY(result.text().startsWith(u"Connected: HTTP 200, 3 models ("));
        QVERIFY(result.text().endsWith(u" ms)"));
        QCOMPARE(upstream.requestCount(), 1);
        QCOMPARE(upstream.lastRequest().method, QByteArray("GET"));
        QCOMPARE(upstream.lastRequest().headers.value("authorization"), QByteArray("Bearer sk-up-secret-1"));
        QVERIFY(!probe.isRunning());
    }

    void start_codex_usesTheProxysModelsRequest()
    {
        FakeUpstream upstream;
        upstream.setReply(
            "/backend-api/codex/models",
            FakeUpstream::Reply::json(
                QJsonObject{{QStringLiteral("models"),
                             QJsonArray{QJsonObject{{QStringLiteral("slug"), QStringLiteral("gpt-5.4")}}}}}));
        Proxy::UpstreamConfig config;
        config.kind = Proxy::UpstreamConfig::Kind::Codex;
        config.baseUrl = upstream.baseUrl();
        config.baseUrl.setPath(QStringLiteral("/backend-api"));
        config.accountId = QStringLiteral("acct-1");
        config.token = "codex-access";
        UpstreamProbe probe;
        const UpstreamProbeResult result = run(probe, config);
        QVERIFY2(result.ok(), qPrintable(result.text()));
        QCOMPARE(result.modelCount, 1);
        QVERIFY(result.text().startsWith(u"Connected: HTTP 200, 1 model ("));
        const FakeUpstream::Request request = upstream.lastRequest();
        QVERIFY2(request.target.startsWith("/backend-api/codex/models?client_version="),
                 request.target.constData());
        QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer codex-access"));
        QCOMPARE(request.headers.value("chatgpt-account-id"), QByteArray("acct-1"));
    }

    void start_401_saysTheTokenWasRefused()
    {
        FakeUpstream upstream;
        upstream.setDefaultReply(FakeUpstream::Reply::json(
            QJsonObject{
                {QStringLiteral("error"), QJsonObject{{QStringLiteral("message"),
                                                       QStringLiteral("Incorrect API key sk-up-secret-1")}}}},
            401));
        UpstreamProbe probe;
        const UpstreamProbeResult result = run(probe, openai(upstream.baseUrl()));
        QCOMPARE(result.outcome, Outcome::TokenRefused);
        QCOMPARE(result.httpStatus, 401);
        QVERIFY2(result.text().startsWith(u"Failed: HTTP 401, the upstream refused the token"),
                 qPrintable(result.text()));
        QVERIFY(!result.text().contains(u"sk-up-secret-1"));
    }

    void start_500_quotesTheUpstreamMessageWithoutTheToken()
    {
        FakeUpstream upstream;
        upstream.setDefaultReply(FakeUpstream::Reply::json(
            QJsonObject{
                {QStringLiteral("error"),
                 QJsonObject{{QStringLiteral("message"), QStringLiteral("overloaded for sk-up-secret-1")}}}},
            500));
        UpstreamProbe probe;
        const UpstreamProbeResult result = run(probe, openai(upstream.baseUrl()));
        QCOMPARE(result.outcome, Outcome::HttpError);
        QCOMPARE(result.text(), QStringLiteral("Failed: HTTP 500 from the upstream: overloaded for …"));
    }

    void start_closedPort_saysConnectionRefused()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        UpstreamProbe probe;
        const UpstreamProbeResult result =
            run(probe, openai(QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port))));
        QCOMPARE(result.outcome, Outcome::ConnectionFailed);
        QCOMPARE(result.httpStatus, 0);
        QVERIFY2(
            result.text().startsWith(QStringLiteral("Failed: connection refused by 127.0.0.1:%1").arg(port)),
            qPrintable(result.text()));
    }

    void start_silentUpstream_timesOut()
    {
        FakeUpstream upstream;
        upstream.setDefaultReply(FakeUpstream::Reply::stalled());
        UpstreamProbe probe;
        probe.setTimeoutMs(300);
        QElapsedTimer elapsed;
        elapsed.start();
        const UpstreamProbeResult result = run(probe, openai(upstream.baseUrl()));
        QCOMPARE(result.outcome, Outcome::TimedOut);
        QVERIFY(elapsed.elapsed() >= 300);
        QVERIFY2(result.text().contains(u"within 0.3 s"), qPrintable(result.text()));
    }

    void start_notConfigured_failsWithoutNetwork()
    {
        UpstreamProbe probe;
        UpstreamProbeResult result = run(probe, Proxy::UpstreamConfig());
        QCOMPARE(result.outcome, Outcome::NotConfigured);
        QCOMPARE(result.text(), QStringLiteral("Failed: no upstream is set"));
        Proxy::UpstreamConfig noToken = openai(QUrl(QStringLiteral("http://127.0.0.1:1")), {});
        result = run(probe, noToken);
        QCOMPARE(result.text(), QStringLiteral("Failed: no upstream token is stored"));
    }

    void start_whileRunning_replacesTheFirstCheck()
    {
        FakeUpstream upstream;
        upstream.setReply("/slow/models", FakeUpstream::Reply::stalled());
        upstream.setReply("/v1/models", FakeUpstream::Reply::json(modelList(2)));
        UpstreamProbe probe;
        QSignalSpy finished(&probe, &UpstreamProbe::finished);
        QUrl slow = upstream.baseUrl();
        slow.setPath(QStringLiteral("/slow"));
        probe.start(openai(slow));
        QTRY_COMPARE(upstream.requestCount(), 1);
        QUrl fast = upstream.baseUrl();
        fast.setPath(QStringLiteral("/v1"));
        probe.start(openai(fast));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.constFirst().constFirst().value<UpstreamProbeResult>().modelCount, 2);
    }
};

QTEST_GUILESS_MAIN(tst_UpstreamProbe)
#include "tst_upstreamprobe.moc"
