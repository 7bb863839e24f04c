// SPDX-License-Identifier: MIT
// End to end through the built `keygate serve` and a FakeUpstream, as a hostile key holder would try it:
// a body whose escaped or duplicate member names would let the upstream read another model or effort
// than the policy judged, and a client that hangs up to avoid paying. Issue 11 §2 and §3.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"
#include "tests/support/RawHttpClient.h"

#include "proxy/relay/UsageEstimate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Proxy;

namespace {

const TokenUsage Upstream{300, 100, 40, 10, 340};

QList<QByteArray> stream()
{
    return FakeUpstream::responsesStream(QStringLiteral("gpt-5.4-mini"), {QStringLiteral("a"), QStringLiteral("b")},
                                         Upstream);
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class tst_ServeIntegrity final : public QObject
{
    Q_OBJECT

private:
    using Run = TestSupport::KeygateRun;
    Run keygate(const QStringList &arguments) { return TestSupport::runKeygate(m_dir->path(), arguments); }

    /// Upstream at @p fake, a key "pi" allowed only gpt-5.4-mini at effort low; returns the key.
    QByteArray setUp(const FakeUpstream &fake)
    {
        if (keygate({s("upstream"), s("set"), s("--kind"), s("openai"), s("--base-url"), fake.baseUrl().toString(),
                     s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")})
                .exitCode != 0)
            return {};
        const Run created = keygate({s("keys"), s("create"), s("--name"), s("pi")});
        if (keygate({s("keys"), s("models"), s("pi"), s("--allow"), s("gpt-5.4-mini")}).exitCode != 0
            || keygate({s("keys"), s("efforts"), s("pi"), s("--allow"), s("low")}).exitCode != 0)
            return {};
        return created.out.trimmed().split('\n').last();
    }

    QByteArray rawPost(quint16 port, const QByteArray &key, const QByteArray &body)
    {
        return "POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\nx-api-key: " + key
               + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
               + body;
    }

    /// Stops serve with SIGTERM and returns `usage --json`'s total.
    QJsonObject stopAndReadUsage(QProcess &serve)
    {
        ::kill(pid_t(serve.processId()), SIGTERM);
        if (!QTest::qWaitFor([&] { return serve.state() == QProcess::NotRunning; }, 15000))
            return {};
        const Run usage = keygate({s("usage"), s("--json")});
        return QJsonDocument::fromJson(usage.out).object().value(u"total").toObject();
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void serve_escapedOrDuplicateNames_judgedAsTheUpstreamReadsThem()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(stream()));
        const QByteArray key = setUp(fake);
        QVERIFY(!key.isEmpty());
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        const auto send = [&](const QByteArray &body) {
            TestSupport::RawHttpClient client;
            client.connectTo(port);
            client.send(rawPost(port, key, body));
            return client.readResponse(10000).value_or(TestSupport::RawHttpClient::Response{});
        };
        const auto code = [](const TestSupport::RawHttpClient::Response &response) {
            return QJsonDocument::fromJson(response.body).object().value(u"error").toObject().value(u"code").toString();
        };
        // The two payloads of the issue: the upstream would have read gpt-5.4 / effort high.
        const auto model = send(R"({"model":"gpt-5.4-mini","mod\u0065l":"gpt-5.4","stream":true,"input":[]})");
        QCOMPARE(model.status, 400);
        QCOMPARE(code(model), s("duplicate_member"));
        const auto effort = send(R"({"model":"gpt-5.4-mini","reasoning":{"effort":"low","eff\u006frt":"high"},"stream":true,"input":[]})");
        QCOMPARE(effort.status, 400);
        QCOMPARE(code(effort), s("duplicate_member"));
        // One escaped member alone is read as the upstream reads it.
        const auto escaped = send(R"({"mod\u0065l":"gpt-5.4","stream":true,"input":[]})");
        QCOMPARE(escaped.status, 403);
        QCOMPARE(code(escaped), s("model_not_allowed"));
        QCOMPARE(fake.requestCount(), 0);
        const auto allowed = send(R"({"model":"gpt-5.4-mini","reasoning":{"effort":"low"},"stream":true,"input":[]})");
        QCOMPARE(allowed.status, 200);
        QCOMPARE(fake.requestCount(), 1);
        const QJsonObject total = stopAndReadUsage(serve);
        QCOMPARE(total.value(u"total_tokens").toInteger(), Upstream.total);
    }

    void serve_clientHangsUp_stillCharged()
    {
        FakeUpstream fake;
        // First request: completes after the client left. Second: the upstream cuts it before any usage.
        fake.enqueueReply("/responses", FakeUpstream::Reply::sse(stream(), 200));
        FakeUpstream::Reply cut = FakeUpstream::Reply::sse(stream(), 200);
        cut.closeAfterEvents = int(stream().size()) - 1;
        fake.enqueueReply("/responses", cut);
        const QByteArray key = setUp(fake);
        QVERIFY(!key.isEmpty());
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        const QByteArray body = R"({"model":"gpt-5.4-mini","stream":true,"input":[]})";
        for (int i = 0; i < 2; ++i) {
            TestSupport::RawHttpClient client;
            QVERIFY(client.connectTo(port));
            client.send(rawPost(port, key, body));
            QTRY_VERIFY_WITH_TIMEOUT((client.waitForBytes(1, 50), client.buffer().contains("output_text.delta")), 5000);
            client.socket().abort();
            QTRY_COMPARE_WITH_TIMEOUT(fake.requestCount(), i + 1, 5000);
        }
        QTest::qWait(2500); // both upstream streams end well within this (7 events, 200 ms apart)
        const QJsonObject total = stopAndReadUsage(serve);
        QCOMPARE(total.value(u"request_count").toInteger(), 2);
        // The first is charged the upstream's usage; the second at least the reservation.
        const TokenUsage floor = UsageEstimate::reservation(body.size());
        QVERIFY2(total.value(u"total_tokens").toInteger() >= Upstream.total + floor.total,
                 qPrintable(QString::number(total.value(u"total_tokens").toInteger())));
        QVERIFY(total.value(u"input_tokens").toInteger() >= Upstream.input + floor.input);
    }
};

QTEST_GUILESS_MAIN(tst_ServeIntegrity)
#include "tst_serveintegrity.moc"
