// SPDX-License-Identifier: MIT
// Ordinary OpenAI Responses clients against a real Keygate whose only account is codex-kind (a ChatGPT
// subscription; issue 12): the openai SDK without `store`, the Vercel AI SDK's responses provider and
// the OpenAI Agents SDK (HTTP and its Responses WebSocket transport) talk to the built `keygate serve`
// on /v1, which must make each request fit for the ChatGPT backend. The backend is a FakeUpstream in
// ChatGPT mode, refusing what the real one refuses, and answering as it does: an SSE stream that
// starts with `codex.rate_limits` and ends with a `response.completed` whose `output` is empty
// (RealClientHarness). Each slot checks the client's reply and its usage, the key's usage, and that
// no Keygate key reached the fake. Skipped (with the reason) only when npm or its registry is away.
#include "RealClientHarness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

class tst_RealClientsCodex final : public QObject
{
    Q_OBJECT

private:
    /// Runs @p script, checks its reply text and that the request reached the backend as the backend
    /// wants it; @p result gets what the client printed.
    void runClient(const QString &script, const QStringList &arguments, QJsonObject &result,
                   const QStringList &nodeOptions = {});
    /// The output tokens the client reports equal the fake's, then verifyUsageAndNoLeak().
    void verifyUsage(qint64 clientOutputTokens);

    RealClientHarness m_harness;

private slots:
    void initTestCase() { m_harness.installClients(); }
    void init() { m_harness.start(RealClientHarness::AccountKind::ChatGpt); }
    void cleanup() { m_harness.stop(); }

    void openaiSdk_responsesWithoutStore_collectsOneObject()
    {
        QJsonObject result;
        runClient(QStringLiteral("openai-sdk.mjs"),
                  {m_harness.base() + QStringLiteral("/v1"), QStringLiteral("responses-nostore")}, result);
        if (!QTest::currentTestFailed())
            verifyUsage(result.value(u"usage").toObject().value(u"output_tokens").toInteger());
    }

    void openaiSdk_responsesStreamWithoutStore_streamsReply()
    {
        QJsonObject result;
        runClient(QStringLiteral("openai-sdk.mjs"),
                  {m_harness.base() + QStringLiteral("/v1"), QStringLiteral("responses-stream-nostore")},
                  result);
        if (QTest::currentTestFailed())
            return;
        // The SDK's stream helper assembles the final response from the terminal event's output.
        QCOMPARE(result.value(u"finalText").toString(), RealClientHarness::Reply);
        verifyUsage(result.value(u"usage").toObject().value(u"output_tokens").toInteger());
    }

    void aiSdk_streamText_streamsReply()
    {
        QJsonObject result;
        runClient(QStringLiteral("ai-sdk.mjs"),
                  {m_harness.base() + QStringLiteral("/v1"), QStringLiteral("stream")}, result);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(result.value(u"finishReason").toString(), QStringLiteral("stop"));
        verifyUsage(result.value(u"usage").toObject().value(u"outputTokens").toInteger());
    }

    void aiSdk_generateText_returnsReply()
    {
        QJsonObject result;
        runClient(QStringLiteral("ai-sdk.mjs"),
                  {m_harness.base() + QStringLiteral("/v1"), QStringLiteral("generate")}, result);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(result.value(u"finishReason").toString(), QStringLiteral("stop"));
        verifyUsage(result.value(u"usage").toObject().value(u"outputTokens").toInteger());
    }

    void agentsSdk_httpRun_returnsReply()
    {
        QJsonObject result;
        runClient(QStringLiteral("agents.mjs"),
                  {m_harness.base() + QStringLiteral("/v1"), QStringLiteral("http")}, result);
        if (!QTest::currentTestFailed())
            verifyUsage(result.value(u"usage").toArray().at(0).toObject().value(u"outputTokens").toInteger());
    }

    void agentsSdk_websocketRun_returnsReply()
    {
        // Node 20 has a global WebSocket only behind this flag; the SDK upgrades on /v1/responses.
        QJsonObject result;
        runClient(QStringLiteral("agents.mjs"),
                  {m_harness.base() + QStringLiteral("/v1"), QStringLiteral("websocket")}, result,
                  {QStringLiteral("--experimental-websocket")});
        if (QTest::currentTestFailed())
            return;
        // The turn went as a response.create message on the SDK's WebSocket (counted in agents.mjs).
        QVERIFY2(result.value(u"websocketCreates").toInt() >= 1, QJsonDocument(result).toJson().constData());
        verifyUsage(result.value(u"usage").toArray().at(0).toObject().value(u"outputTokens").toInteger());
    }
};

void tst_RealClientsCodex::runClient(const QString &script, const QStringList &arguments, QJsonObject &result,
                                     const QStringList &nodeOptions)
{
    m_harness.runJsonClient(script, arguments, result, nodeOptions);
    if (QTest::currentTestFailed())
        return;
    const QByteArray printed = QJsonDocument(result).toJson(QJsonDocument::Compact);
    QVERIFY2(result.value(u"text").toString() == RealClientHarness::Reply, printed.constData());
    QCOMPARE(m_harness.fake().chatGptRefusals(), 0);
    const Proxy::FakeUpstream::Request upstream = m_harness.fake().lastRequest();
    QCOMPARE(upstream.path, QByteArray("/backend-api/codex/responses"));
    const QJsonObject body = QJsonDocument::fromJson(upstream.body).object();
    QCOMPARE(body.value(u"store"), QJsonValue(false));
    QCOMPARE(body.value(u"stream"), QJsonValue(true));
}

void tst_RealClientsCodex::verifyUsage(qint64 clientOutputTokens)
{
    QCOMPARE(m_harness.responses(), 1);
    QCOMPARE(clientOutputTokens, m_harness.reported().output);
    m_harness.verifyUsageAndNoLeak();
}

QTEST_GUILESS_MAIN(tst_RealClientsCodex)
#include "tst_realclientscodex.moc"
