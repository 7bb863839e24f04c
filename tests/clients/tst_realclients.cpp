// SPDX-License-Identifier: MIT
// Real clients against a real Keygate: the pinned npm packages of tests/clients (pi-ai, the pi CLI,
// the openai SDK, the Codex CLI) talk to the built `keygate serve`, which forwards to a FakeUpstream
// started here. Each slot checks the client's own result, that the key's usage equals the tokens the
// fake reported, and that the Keygate key never reached the fake. Skipped (with the reason) only when
// npm or its registry cannot be reached to install the clients.
#include "tests/support/FakeUpstream.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Proxy;

namespace {

const QString Model = QStringLiteral("gpt-5.4");
const QStringList Deltas{QStringLiteral("Hello"), QStringLiteral(" from"), QStringLiteral(" the fake")};
const QString Reply = Deltas.join(QString());
const QByteArray UpstreamToken = "upstream-secret-token";
/// clients.md §1.3: JWT-shaped, standard base64, with the chatgpt_account_id claim pi-ai insists on.
const QByteArray PlaceholderJwt = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0=."
                                  "eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lkIjoicHJveHkifX0=.sig";

/// What one response of the fake reports; each request gets a different one so sums are telling.
FakeUpstream::Usage usageFor(int n)
{
    const qint64 input = 1200 + n, cached = 1000, output = 80 + n, reasoning = 30;
    return {input, cached, output, reasoning, input + output};
}

/// The non-streaming Responses object for @p usage.
QByteArray responseJson(const FakeUpstream::Usage &usage, int n)
{
    const QJsonObject content{{QStringLiteral("type"), QStringLiteral("output_text")},
                              {QStringLiteral("text"), Reply},
                              {QStringLiteral("annotations"), QJsonArray()}};
    const QJsonObject message{{QStringLiteral("type"), QStringLiteral("message")},
                              {QStringLiteral("id"), QStringLiteral("msg_fake_%1").arg(n)},
                              {QStringLiteral("role"), QStringLiteral("assistant")},
                              {QStringLiteral("status"), QStringLiteral("completed")},
                              {QStringLiteral("content"), QJsonArray{content}}};
    const QJsonObject object{
        {QStringLiteral("id"), QStringLiteral("resp_fake_%1").arg(n)},
        {QStringLiteral("object"), QStringLiteral("response")},
        {QStringLiteral("created_at"), 1700000000},
        {QStringLiteral("model"), Model},
        {QStringLiteral("status"), QStringLiteral("completed")},
        {QStringLiteral("output"), QJsonArray{message}},
        {QStringLiteral("usage"),
         QJsonObject{{QStringLiteral("input_tokens"), usage.input},
                     {QStringLiteral("input_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), usage.cached}}},
                     {QStringLiteral("output_tokens"), usage.output},
                     {QStringLiteral("output_tokens_details"),
                      QJsonObject{{QStringLiteral("reasoning_tokens"), usage.reasoning}}},
                     {QStringLiteral("total_tokens"), usage.total}}}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class tst_RealClients final : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        bool finished = false;
        QByteArray out;
        QByteArray err;
    };

    QProcessEnvironment keygateEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEYGATE_DATA_DIR"), m_dir->filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("KEYGATE_SECRETS"), QStringLiteral("file"));
        env.insert(QStringLiteral("KG_TEST_UPSTREAM_TOKEN"), QString::fromLatin1(UpstreamToken));
        return env;
    }

    /// The environment of a client: a private HOME, no proxy, the Keygate key in KEYGATE_KEY.
    QProcessEnvironment clientEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString home = m_dir->filePath(QStringLiteral("home"));
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        for (const char *name : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
                                 "OPENAI_API_KEY", "OPENAI_BASE_URL"})
            env.remove(QString::fromLatin1(name));
        env.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
        env.insert(QStringLiteral("KEYGATE_KEY"), QString::fromLatin1(m_key));
        return env;
    }

    /// Runs @p program to the end (or @p timeoutMs), spinning the event loop so the fake answers.
    Run run(const QString &program, const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs)
    {
        QProcess process;
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_dir->filePath(QStringLiteral("work")));
        process.start(program, arguments);
        process.closeWriteChannel();
        Run result;
        result.finished = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
        if (!result.finished) {
            process.kill();
            process.waitForFinished(5000);
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }

    Run keygate(const QStringList &arguments) { return run(m_binary, arguments, keygateEnvironment(), 15000); }

    Run node(const QString &script, const QStringList &arguments, const QStringList &nodeOptions = {})
    {
        return run(QStringLiteral("node"),
                   nodeOptions + QStringList{m_nodeDir + u'/' + script} + arguments,
                   clientEnvironment(), 60000);
    }

    /// Why a client run failed, for QVERIFY2 (the key is masked).
    QByteArray describe(const Run &r) const
    {
        QByteArray text = "exit " + QByteArray::number(r.exitCode) + (r.finished ? "" : " (timed out)") +
                          "\nstdout: " + r.out.right(3000) + "\nstderr: " + r.err.right(3000);
        return text.replace(m_key, "sk-kg-<masked>");
    }

    FakeUpstream::Reply answer(const FakeUpstream::Request &request)
    {
        if (request.method == "GET" && request.path.endsWith("/models")) {
            const QJsonObject model{{QStringLiteral("id"), Model}, {QStringLiteral("object"), QStringLiteral("model")},
                                    {QStringLiteral("owned_by"), QStringLiteral("fake")}};
            return FakeUpstream::Reply::json(
                {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), QJsonArray{model}}});
        }
        if (request.method != "POST" || !request.path.endsWith("/responses"))
            return FakeUpstream::Reply::json({{QStringLiteral("error"), QStringLiteral("unexpected request")}}, 404);
        const int n = ++m_responses;
        const FakeUpstream::Usage usage = usageFor(n);
        m_reported.input += usage.input;
        m_reported.cached += usage.cached;
        m_reported.output += usage.output;
        m_reported.reasoning += usage.reasoning;
        m_reported.total += usage.total;
        if (QJsonDocument::fromJson(request.body).object().value(u"stream").toBool())
            return FakeUpstream::Reply::sse(
                FakeUpstream::responsesStream(Model, Deltas, usage, QStringLiteral("resp_fake_%1").arg(n)));
        FakeUpstream::Reply reply;
        reply.headers.append("Content-Type", "application/json");
        reply.body = responseJson(usage, n);
        return reply;
    }

    QJsonObject usageOfKey()
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/usage").arg(m_port)));
        request.setRawHeader("Authorization", "Bearer " + m_key);
        QNetworkReply *reply = m_nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(10000))
            return {};
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object();
    }

    /// The key's usage equals what the fake reported, and the fake never saw the key.
    void verifyUsageAndNoLeak()
    {
        QVERIFY2(m_responses > 0, "the fake upstream answered no Responses request");
        QTRY_COMPARE_WITH_TIMEOUT(usageOfKey().value(u"total_tokens").toInteger(), m_reported.total, 5000);
        const QJsonObject usage = usageOfKey();
        QCOMPARE(usage.value(u"input_tokens").toInteger(), m_reported.input);
        QCOMPARE(usage.value(u"cached_input_tokens").toInteger(), m_reported.cached);
        QCOMPARE(usage.value(u"output_tokens").toInteger(), m_reported.output);
        QCOMPARE(usage.value(u"reasoning_tokens").toInteger(), m_reported.reasoning);
        QVERIFY(usage.value(u"request_count").toInteger() >= m_responses);

        const QByteArray secret = m_key.mid(m_key.indexOf('-', 3) + 1); // the part after "sk-kg-"
        QVERIFY(secret.size() >= 16);
        for (const FakeUpstream::Request &request : m_fake->requests()) {
            QVERIFY2(!request.target.contains(secret), request.target.constData());
            QVERIFY2(!request.body.contains(secret), "the Keygate key reached the upstream in a body");
            for (const auto &field : request.headers.fields())
                QVERIFY2(!field.second.contains(secret), field.first.constData());
            QVERIFY(!request.headers.contains("x-api-key"));
            if (request.method == "POST")
                QCOMPARE(request.headers.value("authorization"), "Bearer " + UpstreamToken);
        }
    }

    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    void runPiAi(const QString &transport, const QStringList &nodeOptions = {});
    void runOpenaiSdk(const QString &mode);

    QString m_binary = qEnvironmentVariable("KEYGATE_BINARY");
    /// Where install-clients.sh puts the clients; KEYGATE_CLIENTS_NODE_DIR overrides the build's folder.
    QString m_nodeDir = qEnvironmentVariable("KEYGATE_CLIENTS_NODE_DIR", QStringLiteral(KEYGATE_CLIENTS_NODE_DIR));
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeUpstream> m_fake;
    std::unique_ptr<QProcess> m_serve;
    QNetworkAccessManager m_nam;
    QByteArray m_key;
    quint16 m_port = 0;
    int m_responses = 0;
    FakeUpstream::Usage m_reported{};

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(m_binary), "KEYGATE_BINARY must point at the built keygate");
        QProcess install;
        install.setProcessChannelMode(QProcess::MergedChannels);
        install.start(QStringLiteral("sh"), {QStringLiteral(KEYGATE_CLIENTS_SOURCE_DIR "/install-clients.sh"), m_nodeDir});
        QVERIFY(install.waitForFinished(280000));
        const QByteArray output = install.readAll().trimmed();
        if (install.exitCode() == 77)
            QSKIP(output.constData());
        QVERIFY2(install.exitStatus() == QProcess::NormalExit && install.exitCode() == 0, output.constData());
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("home")) && QDir(m_dir->path()).mkpath(QStringLiteral("work")));
        m_fake = std::make_unique<FakeUpstream>();
        m_fake->setHandler([this](const FakeUpstream::Request &request) { return answer(request); });
        m_responses = 0;
        m_reported = {};
        const Run account = keygate({QStringLiteral("accounts"), QStringLiteral("add-openai"), QStringLiteral("--name"),
                                     QStringLiteral("fake"), QStringLiteral("--base-url"),
                                     m_fake->baseUrl().toString() + QStringLiteral("/v1"), QStringLiteral("--token-env"),
                                     QStringLiteral("KG_TEST_UPSTREAM_TOKEN")});
        QVERIFY2(account.exitCode == 0, account.err.constData());
        const Run created = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                     QStringLiteral("client-test")});
        QVERIFY2(created.exitCode == 0, created.err.constData());
        m_key = created.out.trimmed().split('\n').last();
        QVERIFY(m_key.startsWith("sk-kg-"));

        m_serve = std::make_unique<QProcess>();
        m_serve->setProcessEnvironment(keygateEnvironment());
        m_serve->start(m_binary, {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QByteArray out;
        QVERIFY(QTest::qWaitFor(
            [&] { return (out += m_serve->readAllStandardOutput()).contains("listening on http://"); }, 10000));
        const QByteArray line = out.mid(out.indexOf("listening on http://")).split('\n').first();
        m_port = quint16(line.mid(line.lastIndexOf(':') + 1).trimmed().toUInt());
        QVERIFY(m_port);
    }

    void cleanup()
    {
        if (m_serve && m_serve->state() != QProcess::NotRunning) {
            ::kill(pid_t(m_serve->processId()), SIGTERM);
            QVERIFY(QTest::qWaitFor([this] { return m_serve->state() == QProcess::NotRunning; }, 15000));
            const QByteArray err = m_serve->readAllStandardError();
            QVERIFY2(!err.contains(m_key), "the plaintext key reached keygate's stderr");
        }
        m_serve.reset();
        m_fake.reset();
        m_dir.reset();
    }

    void piAi_placeholderJwtBearerAndApiKeyHeader_sse() { runPiAi(QStringLiteral("sse")); }

    void piAi_placeholderJwtBearerAndApiKeyHeader_websocket()
    {
        // Node 20 has a WebSocket only behind this flag; pi-ai then upgrades on /backend-api/codex/responses.
        runPiAi(QStringLiteral("websocket"), {QStringLiteral("--experimental-websocket")});
    }

    void piCli_modelsJson_printsReply()
    {
        const QString agentDir = m_dir->filePath(QStringLiteral("pi-agent"));
        QVERIFY(QDir().mkpath(agentDir));
        const QJsonObject model{{QStringLiteral("id"), Model},
                                {QStringLiteral("reasoning"), true},
                                {QStringLiteral("input"), QJsonArray{QStringLiteral("text")}},
                                {QStringLiteral("contextWindow"), 272000},
                                {QStringLiteral("maxTokens"), 128000}};
        const QJsonObject provider{
            {QStringLiteral("baseUrl"), QString(base() + QStringLiteral("/backend-api"))},
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

        QProcessEnvironment env = clientEnvironment();
        env.insert(QStringLiteral("PI_CODING_AGENT_DIR"), agentDir);
        env.insert(QStringLiteral("PI_OFFLINE"), QStringLiteral("1"));
        const Run r = run(m_nodeDir + QStringLiteral("/node_modules/.bin/pi"),
                          {QStringLiteral("--provider"), QStringLiteral("keygate"), QStringLiteral("--model"), Model,
                           QStringLiteral("--no-tools"), QStringLiteral("--no-session"), QStringLiteral("-p"),
                           QStringLiteral("Say hello")},
                          env, 60000);
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        QVERIFY2(r.out.contains(Reply.toUtf8()), describe(r).constData());
        QCOMPARE(m_fake->lastRequest().path, QByteArray("/v1/responses"));
        verifyUsageAndNoLeak();
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
        const QString codexHome = m_dir->filePath(QStringLiteral("codex-home"));
        QVERIFY(QDir().mkpath(codexHome));
        QFile config(codexHome + QStringLiteral("/config.toml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("model = \"gpt-5.4\"\n"
                     "model_provider = \"keygate\"\n\n"
                     "[model_providers.keygate]\n"
                     "name = \"Keygate\"\n"
                     "base_url = \"" + base().toUtf8() + "/v1\"\n"
                     "env_key = \"KEYGATE_KEY\"\n"
                     "wire_api = \"responses\"\n"
                     "supports_websockets = true\n"
                     "request_max_retries = 0\n"
                     "stream_max_retries = 0\n");
        config.close();
        QProcessEnvironment env = clientEnvironment();
        env.insert(QStringLiteral("CODEX_HOME"), codexHome);
        const Run r = run(m_nodeDir + QStringLiteral("/node_modules/.bin/codex"),
                          {QStringLiteral("exec"), QStringLiteral("--json"), QStringLiteral("--skip-git-repo-check"),
                           QStringLiteral("--ephemeral"), QStringLiteral("Say hello")},
                          env, 90000);
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        QVERIFY2(r.out.contains(Reply.toUtf8()), describe(r).constData());
        // The turn went over the WebSocket: Codex did not fall back to a POST.
        QVERIFY2(!r.err.contains("failed to connect to Responses WebSocket") && !r.out.contains("failed to connect"),
                 describe(r).constData());
        QByteArray completed;
        for (const QByteArray &line : r.out.split('\n'))
            if (line.contains("\"turn.completed\""))
                completed = line;
        const QJsonObject usage = QJsonDocument::fromJson(completed).object().value(u"usage").toObject();
        QCOMPARE(usage.value(u"output_tokens").toInteger(), usageFor(m_responses).output);
        verifyUsageAndNoLeak();
    }
};

void tst_RealClients::runPiAi(const QString &transport, const QStringList &nodeOptions)
{
    const Run r = node(QStringLiteral("pi-ai.mjs"), {base() + QStringLiteral("/backend-api"), transport}, nodeOptions);
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QJsonObject result = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
    QCOMPARE(result.value(u"text").toString(), Reply);
    const QJsonObject usage = result.value(u"usage").toObject();
    QCOMPARE(usage.value(u"output").toInteger(), m_reported.output);
    QCOMPARE(usage.value(u"cacheRead").toInteger(), m_reported.cached);
    QCOMPARE(m_fake->lastRequest().path, QByteArray("/v1/responses"));
    if (transport == u"websocket") { // the turn went over Keygate's WebSocket, no fallback to SSE
        const QJsonObject ws = result.value(u"websocket").toObject();
        QVERIFY2(ws.value(u"requests").toInt() >= 1, r.out.constData());
        QVERIFY2(ws.value(u"websocketFailures").toInt() == 0 && ws.value(u"sseFallbacks").toInt() == 0,
                 r.out.constData());
    }
    verifyUsageAndNoLeak();
}

void tst_RealClients::runOpenaiSdk(const QString &mode)
{
    const Run r = node(QStringLiteral("openai-sdk.mjs"), {base() + QStringLiteral("/v1"), mode});
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QJsonObject result = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
    QCOMPARE(result.value(u"text").toString(), Reply);
    QVERIFY2(!result.value(u"usage").toObject().isEmpty(), r.out.constData());
    verifyUsageAndNoLeak();
}

QTEST_GUILESS_MAIN(tst_RealClients)
#include "tst_realclients.moc"
