// SPDX-License-Identifier: MIT
// Integration: what a /v1 client gets from a codex-kind account's stream (the OpenAI SDK contract),
// and that the native /backend-api route and OpenAI-kind accounts still get the upstream's bytes.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>
#include <QTcpSocket>

using namespace Proxy;

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","input":"hi","stream":true})";
const FakeUpstream::Usage Usage{1200, 1000, 80, 30, 1280};

/// The ChatGPT backend's stream for a store:false turn as a /v1 client must not see it: a private
/// codex.rate_limits event first, response.in_progress where response.created belongs, and a
/// terminal event whose output is empty.
QList<QByteArray> backendStream()
{
    QList<QByteArray> events = FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"),
                                                             {QStringLiteral("Hel"), QStringLiteral("lo")}, Usage);
    events.first().replace("response.created", "response.in_progress");
    QByteArray completed = events.takeLast();
    const qsizetype output = completed.indexOf("\"output\":[");
    const qsizetype end = completed.indexOf("],\"status\"", output);
    completed.replace(output, end + 1 - output, "\"output\":[]");
    events.append(completed);
    events.prepend(FakeUpstream::sseEvent("codex.rate_limits",
                                          {{QStringLiteral("type"), QStringLiteral("codex.rate_limits")},
                                           {QStringLiteral("rate_limits"), QJsonObject{}}}));
    return events;
}

QList<QPair<QByteArray, QByteArray>> headers()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PiKey.toByteArray()}};
}

QList<QJsonObject> eventsOf(const QByteArray &body)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : body.split('\n'))
        if (line.startsWith("data: "))
            out.append(QJsonDocument::fromJson(line.mid(6)).object());
    return out;
}

} // namespace

class tst_OpenAiSseStream final : public QObject
{
    Q_OBJECT

private slots:
    void v1Stream_codexAccount_createdFirstNoCodexEventsOutputBackfilled();
    void backendRoute_codexAccount_bytesAsTheUpstreamSent();
    void v1Stream_openAiAccount_bytesAsTheUpstreamSent();
    void v1Stream_slowClient_upstreamThrottledNotBuffered();
};

void tst_OpenAiSseStream::v1Stream_codexAccount_createdFirstNoCodexEventsOutputBackfilled()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::sse(backendStream())));
    QNetworkAccessManager nam;
    const ProxyResponse answered = sendToProxy(nam, proxy.port, "POST", "/v1/responses", headers(), Body);
    QCOMPARE(answered.status, 200);
    QVERIFY(!answered.body.contains("codex."));
    const QList<QJsonObject> events = eventsOf(answered.body);
    QVERIFY(events.size() >= 3);
    QCOMPARE(events.first().value(u"type").toString(), QStringLiteral("response.created"));
    QCOMPARE(events.first().value(u"response").toObject().value(u"id").toString(), QStringLiteral("resp_fake_1"));
    QCOMPARE(events[1].value(u"type").toString(), QStringLiteral("response.in_progress"));
    QCOMPARE(answered.body.count("event: response.created"), 1);
    const QJsonObject completed = events.last();
    QCOMPARE(completed.value(u"type").toString(), QStringLiteral("response.completed"));
    const QJsonArray output = completed.value(u"response").toObject().value(u"output").toArray();
    QCOMPARE(output.size(), 1);
    QCOMPARE(output[0].toObject().value(u"content").toArray()[0].toObject().value(u"text").toString(),
             QStringLiteral("Hello"));
    // Usage is counted from the upstream's events, as for any stream.
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(*proxy.allRecords().first().usage, Usage);
}

void tst_OpenAiSseStream::backendRoute_codexAccount_bytesAsTheUpstreamSent()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    const QList<QByteArray> stream = backendStream();
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::sse(stream)));
    QNetworkAccessManager nam;
    const ProxyResponse answered =
        sendToProxy(nam, proxy.port, "POST", "/backend-api/codex/responses", headers(), R"({"model":"gpt-5.4","input":"hi","stream":true,"store":false})");
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.body, stream.join()); // Codex CLI and Pi read codex.* events themselves
}

void tst_OpenAiSseStream::v1Stream_openAiAccount_bytesAsTheUpstreamSent()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    const QList<QByteArray> stream = backendStream();
    fake.setDefaultReply(FakeUpstream::Reply::sse(stream));
    proxy.useUpstream(fake.baseUrl(), UpstreamConfig::Kind::OpenAI);
    QVERIFY(proxy.start());
    QNetworkAccessManager nam;
    const ProxyResponse answered = sendToProxy(nam, proxy.port, "POST", "/v1/responses", headers(), Body);
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.body, stream.join());
}

void tst_OpenAiSseStream::v1Stream_slowClient_upstreamThrottledNotBuffered()
{
    // 64 MiB of text deltas to a client that stops reading: the rewritten stream keeps backpressure.
    const QByteArray delta = FakeUpstream::sseEvent(
        "response.output_text.delta", {{QStringLiteral("type"), QStringLiteral("response.output_text.delta")},
                                       {QStringLiteral("delta"), QString(1024 * 1024, u'x')}});
    QList<QByteArray> events = backendStream().mid(0, 2);
    for (int i = 0; i < 64; ++i)
        events.append(delta);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::sse(events)));
    QTcpSocket client;
    client.setReadBufferSize(64 * 1024);
    client.connectToHost(QHostAddress::LocalHost, proxy.port);
    QVERIFY(client.waitForConnected(3000));
    client.write(proxy.rawPost("/v1/responses", Body, {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    QTRY_VERIFY_WITH_TIMEOUT(fake.bytesWritten() > 1024 * 1024, 5000);
    QTest::qWait(1500); // the upstream keeps trying to send; kernel + proxy buffers are all that fill
    const qint64 written = fake.bytesWritten();
    QVERIFY2(written < 32LL * 1024 * 1024, qPrintable(QStringLiteral("upstream sent %1 bytes").arg(written)));
    client.abort();
}

QTEST_GUILESS_MAIN(tst_OpenAiSseStream)
#include "tst_openaissestream.moc"
