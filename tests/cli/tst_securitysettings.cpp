// SPDX-License-Identifier: MIT
// `keygate settings set allowed-origins|auth-failure-budget|x-api-key-fallback` through the built binary (KEYGATE_BINARY),
// and end to end: origins set from the CLI reach a running `keygate serve`, which refuses other pages.
#include "tests/cli/KeygateProcess.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace TestSupport;

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

/// The status of one POST /v1/responses with @p extraHeader (e.g. an Origin or a key), 0 on no answer.
int statusWith(quint16 port, const QByteArray &extraHeader)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return 0;
    const QByteArray body = R"({"model":"gpt-5.4","input":[]})";
    socket.write("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                 + "\r\nConnection: close\r\nContent-Type: application/json\r\n" + extraHeader
                 + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    if (!QTest::qWaitFor([&] { return (answer += socket.readAll()).contains("\r\n"); }, 5000))
        return 0;
    return answer.mid(9, 3).toInt();
}

int statusWithOrigin(quint16 port, const QByteArray &origin)
{
    return statusWith(port, "Origin: " + origin);
}

} // namespace

class tst_SecuritySettings final : public QObject
{
    Q_OBJECT

    QString m_binary = qEnvironmentVariable("KEYGATE_BINARY");
    std::unique_ptr<QTemporaryDir> m_dir;

    KeygateRun keygate(const QStringList &arguments) { return runKeygate(m_dir->path(), arguments); }
    QByteArray shown(const char *name)
    {
        const QByteArray out = keygate({s("settings"), s("show")}).out;
        const QByteArray prefix = QByteArray(name) + ':';
        for (const QByteArray &line : out.split('\n'))
            if (line.startsWith(prefix))
                return line.mid(prefix.size()).trimmed();
        return "(missing)";
    }

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(m_binary), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void allowedOrigins_setShowClear_normalised()
    {
        QCOMPARE(shown("allowed-origins"), QByteArray()); // none by default
        const KeygateRun set = keygate({s("settings"), s("set"), s("allowed-origins"),
                                        s("https://A.Example:443/, http://localhost:5173 ,https://a.example")});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(set.out.contains("allowed-origins: https://a.example,http://localhost:5173\n"));
        QCOMPARE(shown("allowed-origins"), QByteArray("https://a.example,http://localhost:5173"));
        QCOMPARE(keygate({s("settings"), s("set"), s("allowed-origins"), s("")}).exitCode, 0);
        QCOMPARE(shown("allowed-origins"), QByteArray());
    }

    void allowedOrigins_notAnOrigin_usageErrorNothingStored_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("a path") << s("https://a.example/app");
        QTest::newRow("opaque null") << s("null");
        QTest::newRow("no scheme") << s("a.example");
        QTest::newRow("userinfo") << s("https://user@a.example");
        QTest::newRow("one bad among good") << s("https://a.example,https://b.example?x=1");
    }

    void allowedOrigins_notAnOrigin_usageErrorNothingStored()
    {
        QFETCH(QString, value);
        const KeygateRun run = keygate({s("settings"), s("set"), s("allowed-origins"), value});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("allowed-origins"));
        QCOMPARE(shown("allowed-origins"), QByteArray());
    }

    void authFailureBudget_setAndRange()
    {
        QCOMPARE(shown("auth-failure-budget"), QByteArray("30"));
        QCOMPARE(keygate({s("settings"), s("set"), s("auth-failure-budget"), s("5")}).exitCode, 0);
        QCOMPARE(shown("auth-failure-budget"), QByteArray("5"));
        QCOMPARE(keygate({s("settings"), s("set"), s("auth-failure-budget"), s("0")}).exitCode, 2);
        QCOMPARE(keygate({s("settings"), s("set"), s("auth-failure-budget"), s("10001")}).exitCode, 2);
        QCOMPARE(shown("auth-failure-budget"), QByteArray("5"));
    }

    void serve_allowedOriginsFromCli_refuseOtherPagesLive()
    {
        QCOMPARE(keygate({s("settings"), s("set"), s("allowed-origins"), s("https://a.example")}).exitCode, 0);
        QProcess serve;
        const quint16 port = startKeygateServe(serve, m_dir->path());
        QVERIFY(port != 0);
        QCOMPARE(statusWithOrigin(port, "https://evil.example"), 403);
        QCOMPARE(statusWithOrigin(port, "https://a.example"), 401); // past the guard: no key
        // Cleared from the CLI while serve runs: the page is refused from then on.
        QCOMPARE(keygate({s("settings"), s("set"), s("allowed-origins"), s("")}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(statusWithOrigin(port, "https://a.example"), 403, 10000);
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
    }

    void serve_throttledPeer_validKeyFromCliStillAdmitted()
    {
        // The key snapshot the app builds must let a real key through the throttle's cheap screen.
        const KeygateRun created = keygate({s("keys"), s("create"), s("--name"), s("laptop")});
        QCOMPARE(created.exitCode, 0);
        const QByteArray key = created.out.trimmed().split('\n').constLast();
        QVERIFY(key.startsWith("sk-kg-"));
        QCOMPARE(keygate({s("settings"), s("set"), s("auth-failure-budget"), s("3")}).exitCode, 0);
        QProcess serve;
        const quint16 port = startKeygateServe(serve, m_dir->path());
        QVERIFY(port != 0);
        const QByteArray lookAlike = "sk-kg-" + QByteArray(44, 'x') + key.right(4); // same mask as the key
        for (int i = 0; i < 3; ++i)
            QCOMPARE(statusWith(port, "Authorization: Bearer sk-kg-guess" + QByteArray::number(i)), 401);
        QCOMPARE(statusWith(port, "Authorization: Bearer sk-kg-guess9"), 429);
        QCOMPARE(statusWith(port, "Authorization: Bearer " + lookAlike), 429);
        // No upstream account is configured: past auth the answer is 503 no_accounts, never 401/429.
        QCOMPARE(statusWith(port, "Authorization: Bearer " + key), 503);
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
    }

    void apiKeyFallback_setShowAndRefuseUnknown()
    {
        QCOMPARE(shown("x-api-key-fallback"), QByteArray("always"));
        QCOMPARE(keygate({s("settings"), s("set"), s("x-api-key-fallback"), s("placeholder-only")}).exitCode, 0);
        QCOMPARE(shown("x-api-key-fallback"), QByteArray("placeholder-only"));
        const KeygateRun bad = keygate({s("settings"), s("set"), s("x-api-key-fallback"), s("sometimes")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("always, placeholder-only or never"), bad.err.constData());
        QCOMPARE(shown("x-api-key-fallback"), QByteArray("placeholder-only"));
    }

    void serve_apiKeyFallbackFromCli_appliesLiveAndIsTraced()
    {
        const KeygateRun created = keygate({s("keys"), s("create"), s("--name"), s("pi")});
        QCOMPARE(created.exitCode, 0);
        const QByteArray key = created.out.trimmed().split('\n').constLast();
        const QByteArray xApiKey = "\r\nx-api-key: " + key;
        const QByteArray unknownBearer = "Authorization: Bearer sk-kg-" + QByteArray(44, 'u') + xApiKey;
        const QByteArray placeholder = "Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJwaSJ9.sig" + xApiKey;
        QProcess serve;
        const quint16 port = startKeygateServe(serve, m_dir->path());
        QVERIFY(port != 0);
        // No upstream account: past auth the answer is 503 no_accounts.
        QCOMPARE(statusWith(port, unknownBearer), 503); // always: the valid x-api-key decides
        QCOMPARE(keygate({s("settings"), s("set"), s("x-api-key-fallback"), s("placeholder-only")}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(statusWith(port, unknownBearer), 401, 10000);
        QCOMPARE(statusWith(port, placeholder), 503); // Pi keeps working
        QCOMPARE(keygate({s("settings"), s("set"), s("x-api-key-fallback"), s("never")}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(statusWith(port, placeholder), 401, 10000);
        QCOMPARE(statusWith(port, "Authorization: Bearer " + key), 503);
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        const QByteArray trace = serve.readAllStandardError();
        QVERIFY2(trace.contains("[x-api-key-fallback placeholder-only: a key-shaped Bearer is final]"), trace.constData());
        QVERIFY2(trace.contains("[x-api-key-fallback placeholder-only: Bearer is a placeholder]"), trace.constData());
        QVERIFY2(trace.contains("[x-api-key-fallback never]"), trace.constData());
        QVERIFY(!trace.contains(key.mid(6)));
    }
};

QTEST_GUILESS_MAIN(tst_SecuritySettings)
#include "tst_securitysettings.moc"
