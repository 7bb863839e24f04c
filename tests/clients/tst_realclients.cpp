// SPDX-License-Identifier: MIT
// Real clients against a real Keygate with an OpenAI-kind account: the pinned npm packages of
// tests/clients (pi-ai, the pi CLI, the openai SDK, the Codex CLI) talk to the built `keygate serve`,
// which forwards to a FakeUpstream's /v1 (RealClientHarness). Each slot checks the client's own result,
// that the key's usage equals the tokens the fake reported, and that the Keygate key never reached the
// fake. Skipped (with the reason) only when npm or its registry cannot be reached to install the clients.
// The same clients against a codex-kind account: tst_realclientscodex.cpp.
#include "RealClientHarness.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

using Run = RealClientHarness::Run;
const QString &Model = RealClientHarness::Model;
const QString &Reply = RealClientHarness::Reply;
/// clients.md §1.3: JWT-shaped, standard base64, with the chatgpt_account_id claim pi-ai insists on.
const QByteArray PlaceholderJwt = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0=."
                                  "eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lkIjoicHJveHkifX0=.sig";

} // namespace

class tst_RealClients final : public QObject
{
    Q_OBJECT

private:
    void runPiAi(const QString &transport, const QStringList &nodeOptions = {});
    void runOpenaiSdk(const QString &mode);

    RealClientHarness m_harness;

private slots:
    void initTestCase() { m_harness.installClients(); }
    void init() { m_harness.start(RealClientHarness::AccountKind::OpenAI); }
    void cleanup() { m_harness.stop(); }

    void piAi_placeholderJwtBearerAndApiKeyHeader_sse() { runPiAi(QStringLiteral("sse")); }

    void piAi_placeholderJwtBearerAndApiKeyHeader_websocket()
    {
        // Node 20 has a WebSocket only behind this flag; pi-ai then upgrades on /backend-api/codex/responses.
        runPiAi(QStringLiteral("websocket"), {QStringLiteral("--experimental-websocket")});
    }

    void piCli_modelsJson_printsReply()
    {
        const QString agentDir = m_harness.path(QStringLiteral("pi-agent"));
        QVERIFY(QDir().mkpath(agentDir));
        const QJsonObject model{{QStringLiteral("id"), Model},
                                {QStringLiteral("reasoning"), true},
                                {QStringLiteral("input"), QJsonArray{QStringLiteral("text")}},
                                {QStringLiteral("contextWindow"), 272000},
                                {QStringLiteral("maxTokens"), 128000}};
        const QJsonObject provider{
            {QStringLiteral("baseUrl"), QString(m_harness.base() + QStringLiteral("/backend-api"))},
            {QStringLiteral("api"), QStringLiteral("openai-codex-responses")},
            {QStringLiteral("apiKey"), QString::fromLatin1(PlaceholderJwt)},
            // A header value naming an environment variable is read from it (resolveConfigValue).
            {QStringLiteral("headers"), QJsonObject{{QStringLiteral("x-api-key"), QStringLiteral("KEYGATE_KEY")}}},
            {QStringLiteral("models"), QJsonArray{model}}};
        QFile file(agentDir + QStringLiteral("/models.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("providers"), QJsonObject{{QStringLiteral("keygate"), provider}}}})
                       .toJson());
        file.close();

        QProcessEnvironment env = m_harness.clientEnvironment();
        env.insert(QStringLiteral("PI_CODING_AGENT_DIR"), agentDir);
        env.insert(QStringLiteral("PI_OFFLINE"), QStringLiteral("1"));
        const Run r = m_harness.run(m_harness.nodeDir() + QStringLiteral("/node_modules/.bin/pi"),
                                    {QStringLiteral("--provider"), QStringLiteral("keygate"), QStringLiteral("--model"),
                                     Model, QStringLiteral("--no-tools"), QStringLiteral("--no-session"),
                                     QStringLiteral("-p"), QStringLiteral("Say hello")},
                                    env, 60000);
        QVERIFY2(r.exitCode == 0, m_harness.describe(r).constData());
        QVERIFY2(r.out.contains(Reply.toUtf8()), m_harness.describe(r).constData());
        QCOMPARE(m_harness.fake().lastRequest().path, QByteArray("/v1/responses"));
        m_harness.verifyUsageAndNoLeak();
    }

    void openaiSdk_responsesStreaming() { runOpenaiSdk(QStringLiteral("responses-stream")); }
    void openaiSdk_responsesNonStreaming() { runOpenaiSdk(QStringLiteral("responses")); }
    void openaiSdk_chatCompletions()
    {
        runOpenaiSdk(QStringLiteral("chat"));
        if (QTest::currentTestFailed())
            return;
        runOpenaiSdk(QStringLiteral("chat-stream"));
    }

    void codexExec_websocketProvider_completesTurn()
    {
        const QString codexHome = m_harness.path(QStringLiteral("codex-home"));
        QVERIFY(QDir().mkpath(codexHome));
        QFile config(codexHome + QStringLiteral("/config.toml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("model = \"gpt-5.4\"\n"
                     "model_provider = \"keygate\"\n\n"
                     "[model_providers.keygate]\n"
                     "name = \"Keygate\"\n"
                     "base_url = \"" + m_harness.base().toUtf8() + "/v1\"\n"
                     "env_key = \"KEYGATE_KEY\"\n"
                     "wire_api = \"responses\"\n"
                     "supports_websockets = true\n"
                     "request_max_retries = 0\n"
                     "stream_max_retries = 0\n");
        config.close();
        QProcessEnvironment env = m_harness.clientEnvironment();
        env.insert(QStringLiteral("CODEX_HOME"), codexHome);
        const Run r = m_harness.run(m_harness.nodeDir() + QStringLiteral("/node_modules/.bin/codex"),
                                    {QStringLiteral("exec"), QStringLiteral("--json"),
                                     QStringLiteral("--skip-git-repo-check"), QStringLiteral("--ephemeral"),
                                     QStringLiteral("Say hello")},
                                    env, 90000);
        QVERIFY2(r.exitCode == 0, m_harness.describe(r).constData());
        QVERIFY2(r.out.contains(Reply.toUtf8()), m_harness.describe(r).constData());
        // The turn went over the WebSocket: Codex did not fall back to a POST.
        QVERIFY2(!r.err.contains("failed to connect to Responses WebSocket") && !r.out.contains("failed to connect"),
                 m_harness.describe(r).constData());
        QByteArray completed;
        for (const QByteArray &line : r.out.split('\n'))
            if (line.contains("\"turn.completed\""))
                completed = line;
        const QJsonObject usage = QJsonDocument::fromJson(completed).object().value(u"usage").toObject();
        QCOMPARE(usage.value(u"output_tokens").toInteger(), RealClientHarness::usageFor(m_harness.responses()).output);
        m_harness.verifyUsageAndNoLeak();
    }
};

void tst_RealClients::runPiAi(const QString &transport, const QStringList &nodeOptions)
{
    QJsonObject result;
    m_harness.runJsonClient(QStringLiteral("pi-ai.mjs"), {m_harness.base() + QStringLiteral("/backend-api"), transport},
                            result, nodeOptions);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(result.value(u"text").toString(), Reply);
    const QJsonObject usage = result.value(u"usage").toObject();
    QCOMPARE(usage.value(u"output").toInteger(), m_harness.reported().output);
    QCOMPARE(usage.value(u"cacheRead").toInteger(), m_harness.reported().cached);
    QCOMPARE(m_harness.fake().lastRequest().path, QByteArray("/v1/responses"));
    if (transport == u"websocket") { // the turn went over Keygate's WebSocket, no fallback to SSE
        const QJsonObject ws = result.value(u"websocket").toObject();
        const QByteArray printed = QJsonDocument(result).toJson(QJsonDocument::Compact);
        QVERIFY2(ws.value(u"requests").toInt() >= 1, printed.constData());
        QVERIFY2(ws.value(u"websocketFailures").toInt() == 0 && ws.value(u"sseFallbacks").toInt() == 0,
                 printed.constData());
    }
    m_harness.verifyUsageAndNoLeak();
}

void tst_RealClients::runOpenaiSdk(const QString &mode)
{
    QJsonObject result;
    m_harness.runJsonClient(QStringLiteral("openai-sdk.mjs"), {m_harness.base() + QStringLiteral("/v1"), mode}, result);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(result.value(u"text").toString(), Reply);
    if (mode == u"responses-stream") // the SDK's stream helper assembled the same final response
        QCOMPARE(result.value(u"finalText").toString(), Reply);
    QVERIFY(!result.value(u"usage").toObject().isEmpty());
    m_harness.verifyUsageAndNoLeak();
}

QTEST_GUILESS_MAIN(tst_RealClients)
#include "tst_realclients.moc"
