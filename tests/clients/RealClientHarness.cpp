// SPDX-License-Identifier: MIT
#include "RealClientHarness.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Proxy;

const QString RealClientHarness::Model = QStringLiteral("gpt-5.4");
const QString RealClientHarness::Reply = QStringLiteral("Hello from the fake");
const QByteArray RealClientHarness::ChatGptAccountId = "acct-fake";

namespace {

const QStringList Deltas{QStringLiteral("Hello"), QStringLiteral(" from"), QStringLiteral(" the fake")};
const QByteArray OpenAIToken = "upstream-secret-token";

QString responseId(int n)
{
    return QStringLiteral("resp_fake_%1").arg(n);
}

/// The non-streaming Responses object for @p usage.
QByteArray responseJson(const FakeUpstream::Usage &usage, int n)
{
    const QJsonObject content{{QStringLiteral("type"), QStringLiteral("output_text")},
                              {QStringLiteral("text"), RealClientHarness::Reply},
                              {QStringLiteral("annotations"), QJsonArray()}};
    const QJsonObject message{{QStringLiteral("type"), QStringLiteral("message")},
                              {QStringLiteral("id"), QStringLiteral("msg_fake_%1").arg(n)},
                              {QStringLiteral("role"), QStringLiteral("assistant")},
                              {QStringLiteral("status"), QStringLiteral("completed")},
                              {QStringLiteral("content"), QJsonArray{content}}};
    const QJsonObject object{
        {QStringLiteral("id"), responseId(n)},
        {QStringLiteral("object"), QStringLiteral("response")},
        {QStringLiteral("created_at"), 1700000000},
        {QStringLiteral("model"), RealClientHarness::Model},
        {QStringLiteral("status"), QStringLiteral("completed")},
        {QStringLiteral("output"), QJsonArray{message}},
        {QStringLiteral("usage"),
         QJsonObject{{QStringLiteral("input_tokens"), usage.input},
                     {QStringLiteral("input_tokens_details"),
                      QJsonObject{{QStringLiteral("cached_tokens"), usage.cached}}},
                     {QStringLiteral("output_tokens"), usage.output},
                     {QStringLiteral("output_tokens_details"),
                      QJsonObject{{QStringLiteral("reasoning_tokens"), usage.reasoning}}},
                     {QStringLiteral("total_tokens"), usage.total}}}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/// What the ChatGPT backend streams for a turn (always store:false there): a `codex.rate_limits` event
/// first, then the Responses events, and a `response.completed` whose `output` is empty — the
/// backend keeps nothing, so it leaves the output to the `response.output_item.done` events.
QList<QByteArray> chatGptBackendStream(const FakeUpstream::Usage &usage, int n)
{
    QList<QByteArray> events =
        FakeUpstream::responsesStream(RealClientHarness::Model, Deltas, usage, responseId(n));
    const QByteArray last = events.takeLast();
    QJsonObject completed = QJsonDocument::fromJson(last.mid(last.indexOf("data: ") + 6)).object();
    QJsonObject response = completed.value(u"response").toObject();
    response.insert(QStringLiteral("output"), QJsonArray());
    completed.insert(QStringLiteral("response"), response);
    events.append(FakeUpstream::sseEvent("response.completed", completed));

    const auto window = [](int usedPercent, int minutes, qint64 resetAt) {
        return QJsonObject{{QStringLiteral("used_percent"), usedPercent},
                           {QStringLiteral("window_minutes"), minutes},
                           {QStringLiteral("reset_at"), resetAt}};
    };
    const QJsonObject limits{{QStringLiteral("allowed"), true},
                             {QStringLiteral("limit_reached"), false},
                             {QStringLiteral("primary"), window(7, 300, 4102444800)},
                             {QStringLiteral("secondary"), window(29, 10080, 4102444800)}};
    events.prepend(FakeUpstream::sseEvent("codex.rate_limits",
                                          {{QStringLiteral("type"), QStringLiteral("codex.rate_limits")},
                                           {QStringLiteral("plan_type"), QStringLiteral("plus")},
                                           {QStringLiteral("rate_limits"), limits},
                                           {QStringLiteral("code_review_rate_limits"), QJsonValue()}}));
    return events;
}

/// A Codex CLI auth.json whose access and id tokens are JWTs carrying ChatGptAccountId and expiring
/// in 2100, so Keygate never tries to refresh them; @p accessToken gets the access token.
QByteArray codexAuthJson(QByteArray &accessToken)
{
    const QJsonObject claims{{QStringLiteral("exp"), qint64(4102444800)},
                             {QStringLiteral("email"), QStringLiteral("fake@example.com")},
                             {QStringLiteral("https://api.openai.com/auth"),
                              QJsonObject{{QStringLiteral("chatgpt_account_id"),
                                           QString::fromLatin1(RealClientHarness::ChatGptAccountId)}}}};
    accessToken = "eyJhbGciOiJub25lIn0." +
                  QJsonDocument(claims)
                      .toJson(QJsonDocument::Compact)
                      .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) +
                  ".sig";
    const QJsonObject tokens{{QStringLiteral("access_token"), QString::fromLatin1(accessToken)},
                             {QStringLiteral("id_token"), QString::fromLatin1(accessToken)},
                             {QStringLiteral("refresh_token"), QStringLiteral("rt-fake")}};
    return QJsonDocument(QJsonObject{{QStringLiteral("tokens"), tokens}}).toJson();
}

} // namespace

RealClientHarness::RealClientHarness()
    : m_nodeDir(qEnvironmentVariable("KEYGATE_CLIENTS_NODE_DIR", QStringLiteral(KEYGATE_CLIENTS_NODE_DIR)))
{}

RealClientHarness::~RealClientHarness() = default;

FakeUpstream::Usage RealClientHarness::usageFor(int n)
{
    const qint64 input = 1200 + n, cached = 1000, output = 80 + n, reasoning = 30;
    return {input, cached, output, reasoning, input + output};
}

QProcessEnvironment RealClientHarness::keygateEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("KEYGATE_DATA_DIR"), m_dir->filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("KEYGATE_SECRETS"), QStringLiteral("file"));
    env.insert(QStringLiteral("KG_TEST_UPSTREAM_TOKEN"), QString::fromLatin1(OpenAIToken));
    return env;
}

QProcessEnvironment RealClientHarness::clientEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString home = m_dir->filePath(QStringLiteral("home"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    for (const char *name : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                             "all_proxy", "OPENAI_API_KEY", "OPENAI_BASE_URL"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
    env.insert(QStringLiteral("KEYGATE_KEY"), QString::fromLatin1(m_key));
    return env;
}

RealClientHarness::Run RealClientHarness::run(const QString &program, const QStringList &arguments,
                                              const QProcessEnvironment &env, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(m_dir->filePath(QStringLiteral("work")));
    process.start(program, arguments);
    process.closeWriteChannel();
    Run result;
    // Spins the event loop, so the fake (on this thread) answers meanwhile.
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

RealClientHarness::Run RealClientHarness::node(const QString &script, const QStringList &arguments,
                                               const QStringList &nodeOptions)
{
    return run(QStringLiteral("node"), nodeOptions + QStringList{m_nodeDir + u'/' + script} + arguments,
               clientEnvironment(), 60000);
}

void RealClientHarness::runJsonClient(const QString &script, const QStringList &arguments,
                                      QJsonObject &result, const QStringList &nodeOptions)
{
    const Run r = node(script, arguments, nodeOptions);
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    result = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
    QVERIFY2(!result.isEmpty(), describe(r).constData());
}

QByteArray RealClientHarness::describe(const Run &r) const
{
    // Node prints the error first and its stack and state after: keep both ends of a long stderr.
    const QByteArray err = r.err.size() <= 6000 ? r.err : r.err.left(3000) + "\n[…]\n" + r.err.right(3000);
    QByteArray text = "exit " + QByteArray::number(r.exitCode) + (r.finished ? "" : " (timed out)") +
                      "\nstdout: " + r.out.right(3000) + "\nstderr: " + err;
    return text.replace(m_key, "sk-kg-<masked>");
}

FakeUpstream::Reply RealClientHarness::answer(const FakeUpstream::Request &request)
{
    if (request.method == "GET" && request.path.endsWith("/models")) {
        const QJsonObject model{{QStringLiteral("id"), Model},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("owned_by"), QStringLiteral("fake")}};
        return FakeUpstream::Reply::json({{QStringLiteral("object"), QStringLiteral("list")},
                                          {QStringLiteral("data"), QJsonArray{model}}});
    }
    if (request.method != "POST" || !request.path.endsWith("/responses"))
        return FakeUpstream::Reply::json({{QStringLiteral("error"), QStringLiteral("unexpected request")}},
                                         404);
    const int n = ++m_responses;
    const FakeUpstream::Usage usage = usageFor(n);
    m_reported.input += usage.input;
    m_reported.cached += usage.cached;
    m_reported.output += usage.output;
    m_reported.reasoning += usage.reasoning;
    m_reported.total += usage.total;
    // The fake's ChatGPT mode has already refused a body the backend would refuse (stream must be true).
    if (request.path.endsWith("/codex/responses"))
        return FakeUpstream::Reply::sse(chatGptBackendStream(usage, n));
    if (QJsonDocument::fromJson(request.body).object().value(u"stream").toBool())
        return FakeUpstream::Reply::sse(FakeUpstream::responsesStream(Model, Deltas, usage, responseId(n)));
    FakeUpstream::Reply reply;
    reply.headers.append("Content-Type", "application/json");
    reply.body = responseJson(usage, n);
    return reply;
}

QJsonObject RealClientHarness::usageOfKey()
{
    QNetworkRequest request(QUrl(base() + QStringLiteral("/v1/usage")));
    request.setRawHeader("Authorization", "Bearer " + m_key);
    QNetworkReply *reply = m_nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void RealClientHarness::verifyUsageAndNoLeak()
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
        if (request.method != "POST")
            continue;
        QCOMPARE(request.headers.value("authorization"), "Bearer " + m_upstreamToken);
        if (m_kind == AccountKind::ChatGpt)
            QCOMPARE(request.headers.value("chatgpt-account-id"), ChatGptAccountId);
    }
}

void RealClientHarness::installClients()
{
    QVERIFY2(QFileInfo::exists(m_binary), "KEYGATE_BINARY must point at the built keygate");
    QProcess install;
    install.setProcessChannelMode(QProcess::MergedChannels);
    install.start(QStringLiteral("sh"),
                  {QStringLiteral(KEYGATE_CLIENTS_SOURCE_DIR "/install-clients.sh"), m_nodeDir});
    QVERIFY(install.waitForFinished(280000));
    const QByteArray output = install.readAll().trimmed();
    if (install.exitCode() == 77)
        QSKIP(output.constData());
    QVERIFY2(install.exitStatus() == QProcess::NormalExit && install.exitCode() == 0, output.constData());
}

void RealClientHarness::addAccount(AccountKind kind)
{
    m_kind = kind;
    const QString fake = m_fake->baseUrl().toString();
    Run account;
    if (kind == AccountKind::OpenAI) {
        m_upstreamToken = OpenAIToken;
        account = keygate({QStringLiteral("accounts"), QStringLiteral("add-openai"), QStringLiteral("--name"),
                           QStringLiteral("fake"), QStringLiteral("--base-url"), fake + QStringLiteral("/v1"),
                           QStringLiteral("--token-env"), QStringLiteral("KG_TEST_UPSTREAM_TOKEN")});
    } else {
        QFile auth(m_dir->filePath(QStringLiteral("auth.json")));
        QVERIFY(auth.open(QIODevice::WriteOnly));
        auth.write(codexAuthJson(m_upstreamToken));
        auth.close();
        account = keygate({QStringLiteral("accounts"), QStringLiteral("import"), auth.fileName(),
                           QStringLiteral("--name"), QStringLiteral("fake"), QStringLiteral("--base-url"),
                           fake + QStringLiteral("/backend-api")});
    }
    QVERIFY2(account.exitCode == 0, account.err.constData());
}

void RealClientHarness::start(AccountKind kind)
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("home")) &&
            QDir(m_dir->path()).mkpath(QStringLiteral("work")));
    m_fake = std::make_unique<FakeUpstream>();
    m_fake->setHandler([this](const FakeUpstream::Request &request) { return answer(request); });
    m_responses = 0;
    m_reported = {};
    addAccount(kind);
    if (QTest::currentTestFailed())
        return;
    const Run created = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                 QStringLiteral("client-test")});
    QVERIFY2(created.exitCode == 0, created.err.constData());
    m_key = created.out.trimmed().split('\n').last();
    QVERIFY(m_key.startsWith("sk-kg-"));

    m_serve = std::make_unique<QProcess>();
    m_serve->setProcessEnvironment(keygateEnvironment());
    m_serve->start(m_binary,
                   {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QByteArray out;
    QVERIFY(QTest::qWaitFor(
        [&] { return (out += m_serve->readAllStandardOutput()).contains("listening on http://"); }, 10000));
    const QByteArray line = out.mid(out.indexOf("listening on http://")).split('\n').first();
    m_port = quint16(line.mid(line.lastIndexOf(':') + 1).trimmed().toUInt());
    QVERIFY(m_port);
}

void RealClientHarness::stop()
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
