// SPDX-License-Identifier: MIT
// Integration: a client that hangs up early still pays — the proxy reads the upstream on for the real
// usage (bounded), else charges an estimate — and a response's terminal bytes wait until its record is
// durable. Real proxy, raw sockets, FakeUpstream.
#include "ProxyTestClient.h"
#include "ProxyTestHarness.h"

#include "proxy/relay/UsageEstimate.h"

#include <QJsonArray>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QTcpSocket>
#include <QTest>

using namespace Proxy;

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","stream":true,"store":false,"input":[{"role":"user","content":"hi"}]})";
const TokenUsage Upstream{1200, 1000, 80, 30, 1280};

QList<QByteArray> stream()
{
    return FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"),
                                         {QStringLiteral("Hel"), QStringLiteral("lo"), QStringLiteral("!")}, Upstream);
}

KeyPolicy dailyTokenLimit()
{
    KeyPolicy policy;
    policy.limits = {{11, LimitType::TotalTokens, LimitWindow::Day, 1'000'000, {}}};
    return policy;
}

/// A RecordJournal that acknowledges only when the test says so (or never).
class ManualJournal final : public RecordJournal
{
public:
    void append(const QList<RequestRecord> &records, std::function<void()> durable) override
    {
        QMutexLocker lock(&m_mutex);
        m_records += records;
        if (durable)
            m_acks.append(std::move(durable));
    }
    void acknowledgeAll()
    {
        QList<std::function<void()>> acks;
        {
            QMutexLocker lock(&m_mutex);
            acks = std::exchange(m_acks, {});
        }
        for (const auto &ack : acks)
            ack();
    }
    qsizetype recordCount()
    {
        QMutexLocker lock(&m_mutex);
        return m_records.size();
    }

private:
    QMutex m_mutex;
    QList<RequestRecord> m_records;
    QList<std::function<void()>> m_acks;
};

struct Fixture
{
    explicit Fixture(const FakeUpstream::Reply &reply)
    {
        proxy.initialKeys = ProxyTestHarness::keys(true, dailyTokenLimit());
        fake.setDefaultReply(reply);
        proxy.useUpstream(fake.baseUrl());
    }
    bool start() { return proxy.start() != 0; }
    void send(const QByteArray &path = "/v1/responses", const QByteArray &body = Body)
    {
        client.connectToHost(QHostAddress::LocalHost, proxy.port);
        client.waitForConnected(3000);
        client.write(proxy.rawPost(path, body, {"x-api-key: " + ProxyTestHarness::PiKey.toByteArray()}));
    }
    bool receivedSoFar(QByteArrayView marker)
    {
        client.waitForReadyRead(20);
        received += client.readAll();
        return received.contains(marker);
    }
    QJsonObject usage()
    {
        return sendToProxy(nam, proxy.port, "GET", "/v1/usage", {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}})
            .json();
    }
    qint64 limitUsed() { return usage().value(u"limits").toArray().first().toObject().value(u"current_value").toInteger(); }

    FakeUpstream fake;
    ProxyTestHarness proxy;
    QTcpSocket client;
    QByteArray received;
    QNetworkAccessManager nam;
};

} // namespace

class tst_ClientClosed final : public QObject
{
    Q_OBJECT

private slots:
    void closeAfterFirstDelta_chargedTheUpstreamsUsage();
    void closeBeforeTerminal_noUsageArrives_chargedTheEstimate();
    void upstreamSilentAfterClose_drainBound_chargedTheEstimate();
    void closeBeforeHead_upstreamAnswersLater_chargedItsUsage();
    void compactClosedEarly_chargedTheTurnsUsage();
    void estimate_neverBelowTheReservation();
    void terminalBytes_waitForTheJournal_thenFollow();
    void terminalBytes_journalSilent_releasedAfterHoldBound();
    void nonStreamToCodex_closedEarly_chargedTheTurnsUsage();
    void nonStreamToCodex_jsonWaitsForTheJournal_thenFollows();
};

void tst_ClientClosed::closeAfterFirstDelta_chargedTheUpstreamsUsage()
{
    Fixture f(FakeUpstream::Reply::sse(stream(), 150));
    QVERIFY(f.start());
    f.send();
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar("response.output_text.delta"), 5000);
    f.client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.allRecords().size(), 1, 10000);
    const RequestRecord record = f.proxy.allRecords().constFirst();
    QCOMPARE(record.outcome, QStringLiteral("client_closed"));
    QCOMPARE(record.usageSource, QStringLiteral("upstream"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(Upstream));
    const QJsonObject usage = f.usage();
    QCOMPARE(usage.value(u"total_tokens").toInteger(), Upstream.total);
    QCOMPARE(usage.value(u"request_count").toInteger(), 1);
    QCOMPARE(f.limitUsed(), Upstream.total);
}

void tst_ClientClosed::closeBeforeTerminal_noUsageArrives_chargedTheEstimate()
{
    // Everything but response.completed is sent; the client leaves right before it, and the upstream
    // then closes without it: no usage ever arrives.
    FakeUpstream::Reply reply = FakeUpstream::Reply::sse(stream(), 500);
    reply.closeAfterEvents = int(stream().size()) - 1;
    Fixture f(reply);
    QVERIFY(f.start());
    f.send();
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar(R"("delta":"!")"), 5000); // the last delta
    f.client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.allRecords().size(), 1, 10000);
    const RequestRecord record = f.proxy.allRecords().constFirst();
    QCOMPARE(record.outcome, QStringLiteral("client_closed"));
    QCOMPARE(record.usageSource, QStringLiteral("estimate"));
    QVERIFY(record.bytesOut > 0);
    const TokenUsage expected = UsageEstimate::forClientClosed(Body.size(), record.bytesOut);
    QCOMPARE(record.usage, std::optional<TokenUsage>(expected));
    QCOMPARE(f.usage().value(u"total_tokens").toInteger(), expected.total);
    QCOMPARE(f.limitUsed(), expected.total);
}

void tst_ClientClosed::upstreamSilentAfterClose_drainBound_chargedTheEstimate()
{
    // An event a second: the client leaves after the first, and the drain bound ends long before the next.
    Fixture f(FakeUpstream::Reply::sse(stream(), 1000));
    f.proxy.config.timeouts.clientClosedDrainMs = 100;
    QVERIFY(f.start());
    f.send();
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar("response.created"), 5000);
    f.client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.allRecords().size(), 1, 5000);
    const RequestRecord record = f.proxy.allRecords().constFirst();
    QCOMPARE(record.usageSource, QStringLiteral("estimate"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(UsageEstimate::forClientClosed(Body.size(), record.bytesOut)));
    QTRY_COMPARE_WITH_TIMEOUT(f.fake.clientDisconnectCount(), 1, 5000); // the drain ended the upstream request
}

void tst_ClientClosed::closeBeforeHead_upstreamAnswersLater_chargedItsUsage()
{
    FakeUpstream::Reply reply = FakeUpstream::Reply::sse(stream(), 0);
    reply.headDelayMs = 600;
    Fixture f(reply);
    QVERIFY(f.start());
    f.send();
    QTRY_COMPARE_WITH_TIMEOUT(f.fake.requestCount(), 1, 5000);
    f.client.abort(); // before any byte of the answer
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.allRecords().size(), 1, 10000);
    const RequestRecord record = f.proxy.allRecords().constFirst();
    QCOMPARE(record.outcome, QStringLiteral("client_closed"));
    QCOMPARE(record.usageSource, QStringLiteral("upstream"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(Upstream));
    QCOMPARE(f.limitUsed(), Upstream.total);
}

void tst_ClientClosed::compactClosedEarly_chargedTheTurnsUsage()
{
    FakeUpstream::Reply reply = FakeUpstream::Reply::sse(stream(), 150);
    Fixture f(reply);
    QVERIFY(f.start());
    f.send("/v1/responses/compact", R"({"model":"gpt-5.4","input":[{"role":"user","content":"hi"}]})");
    QTRY_COMPARE_WITH_TIMEOUT(f.fake.requestCount(), 1, 5000);
    f.client.abort(); // compact answers one JSON object at the end: nothing was sent yet
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.allRecords().size(), 1, 10000);
    const RequestRecord record = f.proxy.allRecords().constFirst();
    QCOMPARE(record.outcome, QStringLiteral("client_closed"));
    QCOMPARE(record.usageSource, QStringLiteral("upstream"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(Upstream));
}

void tst_ClientClosed::estimate_neverBelowTheReservation()
{
    const TokenUsage reserved = UsageEstimate::reservation(100);
    const TokenUsage small = UsageEstimate::forClientClosed(100, 10);
    QVERIFY(small.input >= reserved.input && small.output >= reserved.output && small.total >= reserved.total);
    // A 1.2 MB prompt closed after the first byte: about 300k input tokens, not the 8k the reservation capped.
    const TokenUsage big = UsageEstimate::forClientClosed(1'200'000, 1);
    QCOMPARE(big.input, 300'000);
    QCOMPARE(big.output, UsageEstimate::ReservedOutput);
    QCOMPARE(big.total, big.input + big.output);
    const TokenUsage longAnswer = UsageEstimate::forClientClosed(100, 400'000);
    QCOMPARE(longAnswer.output, 100'000);
}

void tst_ClientClosed::terminalBytes_waitForTheJournal_thenFollow()
{
    Fixture f(FakeUpstream::Reply::sse(stream(), 50)); // the terminal event in a chunk of its own
    auto journal = std::make_shared<ManualJournal>();
    f.proxy.config.journal = journal;
    f.proxy.config.timeouts.durableHoldMs = 60'000;
    QVERIFY(f.start());
    f.send();
    QTRY_COMPARE_WITH_TIMEOUT(journal->recordCount(), 1, 5000);
    QTest::qWait(300);
    f.receivedSoFar("");
    QVERIFY(f.received.contains("response.output_item.done")); // everything before the terminal event flowed
    QVERIFY(!f.received.contains("response.completed"));         // the terminal event waits for the record
    journal->acknowledgeAll();
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar("response.completed"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar("\r\n0\r\n\r\n"), 5000);
}

void tst_ClientClosed::terminalBytes_journalSilent_releasedAfterHoldBound()
{
    Fixture f(FakeUpstream::Reply::sse(stream(), 0));
    f.proxy.config.journal = std::make_shared<ManualJournal>(); // never acknowledges
    f.proxy.config.timeouts.durableHoldMs = 400;
    QVERIFY(f.start());
    f.send();
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar("response.completed"), 5000);
}

void tst_ClientClosed::nonStreamToCodex_closedEarly_chargedTheTurnsUsage()
{
    // No stream asked: the codex-kind account streams anyway, and the proxy collects one JSON object.
    Fixture f(FakeUpstream::Reply::sse(stream(), 150));
    QVERIFY(f.start());
    f.send("/v1/responses", R"({"model":"gpt-5.4","input":"hi"})");
    QTRY_COMPARE_WITH_TIMEOUT(f.fake.requestCount(), 1, 5000);
    f.client.abort(); // nothing was sent yet: the answer comes at the end
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.allRecords().size(), 1, 10000);
    const RequestRecord record = f.proxy.allRecords().constFirst();
    QCOMPARE(record.outcome, QStringLiteral("client_closed"));
    QCOMPARE(record.usageSource, QStringLiteral("upstream"));
    QCOMPARE(record.usage, std::optional<TokenUsage>(Upstream));
    QCOMPARE(f.fake.chatGptRefusals(), 0);
}

void tst_ClientClosed::nonStreamToCodex_jsonWaitsForTheJournal_thenFollows()
{
    Fixture f(FakeUpstream::Reply::sse(stream(), 0));
    auto journal = std::make_shared<ManualJournal>();
    f.proxy.config.journal = journal;
    f.proxy.config.timeouts.durableHoldMs = 60'000;
    QVERIFY(f.start());
    f.send("/v1/responses", R"({"model":"gpt-5.4","input":"hi"})");
    QTRY_COMPARE_WITH_TIMEOUT(journal->recordCount(), 1, 5000);
    QTest::qWait(300);
    f.receivedSoFar("");
    QVERIFY(f.received.isEmpty()); // the collected answer waits for its record
    journal->acknowledgeAll();
    QTRY_VERIFY_WITH_TIMEOUT(f.receivedSoFar("\"total_tokens\":1280"), 5000);
    QVERIFY(f.received.contains("application/json"));
}

QTEST_GUILESS_MAIN(tst_ClientClosed)
#include "tst_clientclosed.moc"
