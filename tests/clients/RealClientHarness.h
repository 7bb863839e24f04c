// SPDX-License-Identifier: MIT
#pragma once

#include "tests/support/FakeUpstream.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>

/// What the real-client tests share: the pinned npm clients (installed once), and per test a private
/// data dir, a FakeUpstream, one upstream account of the chosen kind pointing at it, one Keygate key
/// and the built `keygate serve` (KEYGATE_BINARY) on an ephemeral port. The fake answers every
/// Responses request with a different usage, so the checks of verifyUsageAndNoLeak() are telling.
/// The QVERIFY-style checks inside report to the running test function; callers that go on after one
/// look at QTest::currentTestFailed().
class RealClientHarness final
{
    Q_DISABLE_COPY_MOVE(RealClientHarness)

public:
    enum class AccountKind
    {
        OpenAI,  ///< `accounts add-openai --base-url <fake>/v1`: the upstream path is /v1/responses
        ChatGpt, ///< `accounts import --base-url <fake>/backend-api`: /backend-api/codex/responses
    };

    struct Run final
    {
        int exitCode = -1;
        bool finished = false;
        QByteArray out;
        QByteArray err;
    };

    static const QString Model;
    static const QString Reply; ///< what every answer of the fake says
    /// The ChatGPT account's id (the access token's claim, sent upstream as chatgpt-account-id).
    static const QByteArray ChatGptAccountId;

    RealClientHarness();
    ~RealClientHarness();

    /// For initTestCase: installs the pinned clients (install-clients.sh), QSKIP when npm or its
    /// registry cannot be reached.
    void installClients();
    /// For init: a fresh fake, data dir, account of @p kind and key, and a running `keygate serve`.
    void start(AccountKind kind);
    /// For cleanup: stops `serve` (SIGTERM) and checks the key never reached its stderr.
    void stop();

    Run run(const QString &program, const QStringList &arguments, const QProcessEnvironment &env,
            int timeoutMs);
    /// Runs tests/clients/@p script with node from the install folder, in clientEnvironment().
    Run node(const QString &script, const QStringList &arguments, const QStringList &nodeOptions = {});
    /// node(), which must exit 0; @p result gets the JSON object the script printed on its last line.
    void runJsonClient(const QString &script, const QStringList &arguments, QJsonObject &result,
                       const QStringList &nodeOptions = {});
    /// Why a client run failed, for QVERIFY2 (the key is masked).
    QByteArray describe(const Run &r) const;
    /// A private HOME, no proxy or OpenAI variables, the Keygate key in KEYGATE_KEY.
    QProcessEnvironment clientEnvironment() const;

    /// The key's usage equals what the fake reported, and no key reached the fake: no Keygate key
    /// anywhere in a request, each POST authorised with the account's own token.
    void verifyUsageAndNoLeak();

    /// http://127.0.0.1:<keygate's port>
    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    /// A path inside the test's temporary folder.
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString nodeDir() const { return m_nodeDir; }
    Proxy::FakeUpstream &fake() { return *m_fake; }
    /// Responses requests the fake answered, and the sum of the usage it reported.
    int responses() const { return m_responses; }
    const Proxy::FakeUpstream::Usage &reported() const { return m_reported; }
    /// The usage of the fake's @p n-th answer (1-based).
    static Proxy::FakeUpstream::Usage usageFor(int n);

private:
    QProcessEnvironment keygateEnvironment() const;
    Run keygate(const QStringList &arguments)
    {
        return run(m_binary, arguments, keygateEnvironment(), 15000);
    }
    void addAccount(AccountKind kind);
    Proxy::FakeUpstream::Reply answer(const Proxy::FakeUpstream::Request &request);
    QJsonObject usageOfKey();

    QString m_binary = qEnvironmentVariable("KEYGATE_BINARY");
    /// Where install-clients.sh puts the clients; KEYGATE_CLIENTS_NODE_DIR overrides the build's folder.
    QString m_nodeDir;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Proxy::FakeUpstream> m_fake;
    std::unique_ptr<QProcess> m_serve;
    QNetworkAccessManager m_nam;
    QByteArray m_key;
    QByteArray m_upstreamToken; ///< what the account sends upstream as its Bearer token
    AccountKind m_kind = AccountKind::OpenAI;
    quint16 m_port = 0;
    int m_responses = 0;
    Proxy::FakeUpstream::Usage m_reported{};
};
