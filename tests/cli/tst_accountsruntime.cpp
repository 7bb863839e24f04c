// SPDX-License-Identifier: MIT
// End to end: `keygate serve` with two OpenAI-kind accounts (round robin) against one FakeUpstream that
// accepts only each account's right token (a's first token meets 503s, a revoked one 401). The running
// pool's state reaches `keygate accounts list` through account_runtime, and `accounts set-token` brings
// an account out of its error backoff, or out of needs-reauth, at once.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"

#include <QDeadlineTimer>
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

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

const QByteArray RightA = "sk-right-for-a";
const QByteArray RightB = "sk-right-for-b";
const QByteArray Revoked = "sk-revoked";

} // namespace

class tst_AccountsRuntime final : public QObject
{
    Q_OBJECT

private:
    TestSupport::KeygateRun keygate(const QStringList &arguments, const QByteArray &input = {})
    {
        return TestSupport::runKeygate(m_dir->path(), arguments, input);
    }

    /// The account named @p name in `accounts list --json`.
    QJsonObject listed(const QString &name)
    {
        const TestSupport::KeygateRun run = keygate({s("accounts"), s("list"), s("--json")});
        for (const QJsonValue &account : QJsonDocument::fromJson(run.out).array())
            if (account[s("name")].toString() == name)
                return account.toObject();
        return {};
    }

    QJsonObject runtimeOf(const QString &name) { return listed(name)[s("runtime")].toObject(); }

    int post(quint16 port)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("x-api-key", m_key);
        QNetworkReply *reply = m_nam.post(request, R"({"model":"gpt-5.4","stream":true,"input":[]})");
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        reply->readAll();
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    /// Requests that reached the upstream with @p token.
    int hits(const QByteArray &token) const
    {
        int count = 0;
        for (const FakeUpstream::Request &request : m_upstream->requests())
            count += request.headers.value("authorization") == "Bearer " + token;
        return count;
    }

    bool addAccount(const QString &name, const QByteArray &token)
    {
        return keygate({s("accounts"), s("add-openai"), s("--name"), name, s("--base-url"),
                        m_upstream->baseUrl().toString() + s("/v1"), s("--token-stdin")},
                       token + '\n')
                   .exitCode
               == 0;
    }

    /// `accounts set-token a` with a's right token, then requests until one reaches `a` with it: serve
    /// polls the database every 250 ms, so within 2 s exactly one request should. (A loop, not QTRY:
    /// each try sends a request, and QTRY evaluates its expression once more at the end.)
    bool setRightTokenForA(quint16 port)
    {
        if (keygate({s("accounts"), s("set-token"), s("a"), s("--token-stdin")}, RightA + '\n').exitCode != 0)
            return false;
        const QDeadlineTimer deadline(2000);
        while (hits(RightA) == 0 && !deadline.hasExpired()) {
            if (post(port) != 200)
                return false;
            QTest::qWait(50);
        }
        return hits(RightA) == 1;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeUpstream> m_upstream;
    QNetworkAccessManager m_nam;
    QByteArray m_key;

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
        m_upstream = std::make_unique<FakeUpstream>();
        // A real API answers a wrong key with 401 invalid_api_key; the right ones get a stream.
        m_upstream->setHandler([](const FakeUpstream::Request &request) {
            const QByteArray authorization = request.headers.value("authorization");
            if (authorization == "Bearer sk-wrong-for-a") // an account whose upstream keeps failing
                return FakeUpstream::Reply::json({{s("error"), QJsonObject{{s("message"), s("overloaded")}}}}, 503);
            if (authorization != "Bearer " + RightA && authorization != "Bearer " + RightB)
                return FakeUpstream::Reply::json(
                    {{s("error"), QJsonObject{{s("message"), s("Incorrect API key provided")},
                                              {s("type"), s("invalid_request_error")},
                                              {s("code"), s("invalid_api_key")}}}},
                    401);
            return FakeUpstream::Reply::sse(
                FakeUpstream::responsesStream(s("gpt-5.4"), {s("hi")}, {5, 0, 2, 0, 7}));
        });
        const TestSupport::KeygateRun key = keygate({s("keys"), s("create"), s("--name"), s("pi")});
        QCOMPARE(key.exitCode, 0);
        m_key = key.out.trimmed().split('\n').last();
        QVERIFY(addAccount(s("a"), "sk-wrong-for-a"));
        QVERIFY(addAccount(s("b"), RightB));
        QCOMPARE(keygate({s("settings"), s("set"), s("routing"), s("round-robin")}).exitCode, 0);
    }

    void setToken_accountInBackoff_routedAgainWithinTwoSeconds()
    {
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        // Three requests: `a` fails each (503), `b` serves it; after the third `a` backs off.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(port), 200);
        QCOMPARE(hits("sk-wrong-for-a"), 3);
        QCOMPARE(hits(RightB), 3);
        QTRY_COMPARE_WITH_TIMEOUT(runtimeOf(s("a"))[s("state")].toString(), s("backoff"), 2000);
        const QJsonObject backoff = runtimeOf(s("a"));
        QCOMPARE(backoff[s("consecutive_errors")].toInt(), 3);
        QVERIFY(!backoff[s("backoff_until")].toString().isEmpty());
        QVERIFY(QDateTime::fromString(backoff[s("published_at")].toString(), Qt::ISODate)
                >= QDateTime::currentDateTimeUtc().addSecs(-15));
        QCOMPARE(runtimeOf(s("b"))[s("state")].toString(), s("active"));
        QCOMPARE(listed(s("a"))[s("state")].toString(), s("active")); // the stored state is unchanged
        const QByteArray table = keygate({s("accounts"), s("list")}).out;
        QVERIFY2(table.contains("backoff after 3 errors (until "), table.constData());
        // Backing off: `a` is not even tried.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(port), 200);
        QCOMPARE(hits("sk-wrong-for-a"), 3);

        QVERIFY(setRightTokenForA(port));
        // Round robin again: the next four split evenly.
        const int servedByB = hits(RightB);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(post(port), 200);
        QCOMPARE(hits(RightA), 3);
        QCOMPARE(hits(RightB), servedByB + 2);
        QCOMPARE(hits("sk-wrong-for-a"), 3);
        QTRY_COMPARE_WITH_TIMEOUT(runtimeOf(s("a"))[s("state")].toString(), s("active"), 2000);
        const QJsonObject fixed = runtimeOf(s("a"));
        QCOMPARE(fixed[s("consecutive_errors")].toInt(-1), 0);
        QVERIFY(fixed[s("backoff_until")].isNull());

        ::kill(pid_t(serve.processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 15000);
        QCOMPARE(serve.exitCode(), 0);
        // A cleanly stopped instance leaves nothing that looks alive.
        QVERIFY(listed(s("a"))[s("runtime")].isNull());
        QVERIFY(listed(s("b"))[s("runtime")].isNull());
        const TestSupport::KeygateRun stopped = keygate({s("accounts"), s("list")});
        QVERIFY2(stopped.err.contains("no running keygate has published its pool in the last 15 s"), stopped.err.constData());
    }

    void setToken_accountRefused401_needsReauthThenRoutedAgain()
    {
        QCOMPARE(keygate({s("accounts"), s("set-token"), s("a"), s("--token-stdin")}, Revoked + '\n').exitCode, 0);
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        // The upstream refuses a's credential: b serves the request, and a is out until a new token.
        QCOMPARE(post(port), 200);
        QCOMPARE(post(port), 200);
        QCOMPARE(hits(Revoked), 1);
        QTRY_COMPARE_WITH_TIMEOUT(runtimeOf(s("a"))[s("state")].toString(), s("needs-reauth"), 2000);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(port), 200);
        QCOMPARE(hits(Revoked), 1);

        QVERIFY(setRightTokenForA(port));
        QTRY_COMPARE_WITH_TIMEOUT(runtimeOf(s("a"))[s("state")].toString(), s("active"), 2000);
        ::kill(pid_t(serve.processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 15000);
    }

    void list_noInstanceEverRan_storedStateAndNullRuntime()
    {
        QCOMPARE(listed(s("a"))[s("state")].toString(), s("active"));
        QVERIFY(listed(s("a"))[s("runtime")].isNull());
        QVERIFY(listed(s("a")).contains(s("runtime")));
    }
};

QTEST_GUILESS_MAIN(tst_AccountsRuntime)
#include "tst_accountsruntime.moc"
