// SPDX-License-Identifier: MIT
// End to end: the built keygate binary (`keys create` → `serve` → request) against a FakeUpstream
// started by this test, with other `keygate` processes changing keys while `serve` runs.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"
#include "tests/support/RawHttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Proxy;

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","stream":true,"input":[]})";

FakeUpstream::Reply stream(int delayMs = 0)
{
    return FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("a"), QStringLiteral("b")},
                                      {300, 100, 40, 10, 340}),
        delayMs);
}

} // namespace

class tst_Serve final : public QObject
{
    Q_OBJECT

private:
    using Run = TestSupport::KeygateRun;

    Run keygate(const QStringList &arguments) { return TestSupport::runKeygate(m_dir->path(), arguments); }

    QByteArray createKey(const QString &name)
    {
        const Run run = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), name});
        return run.out.trimmed().split('\n').last();
    }

    /// Starts `keygate serve` and returns its port (0 on failure).
    quint16 startServe(QProcess &serve, const QStringList &extra = {})
    {
        return TestSupport::startKeygateServe(serve, m_dir->path(), extra);
    }

    int post(quint16 port, const QByteArray &keyHeader, const QByteArray &key, QByteArray *body = nullptr)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        if (!keyHeader.isEmpty())
            request.setRawHeader(keyHeader, key);
        QNetworkReply *reply = m_nam.post(request, Body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        if (body)
            *body = reply->readAll();
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    void stop(QProcess &serve, int signalNumber = SIGTERM)
    {
        ::kill(pid_t(serve.processId()), signalNumber);
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 15000);
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

    void configureUpstream(const FakeUpstream &fake)
    {
        const Run run = keygate({QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"),
                                 QStringLiteral("openai"), QStringLiteral("--base-url"), fake.baseUrl().toString(),
                                 QStringLiteral("--token-env"), QStringLiteral("KG_TEST_UPSTREAM_TOKEN")});
        QCOMPARE(run.exitCode, 0);
    }

    QString m_binary = qEnvironmentVariable("KEYGATE_BINARY");
    std::unique_ptr<QTemporaryDir> m_dir;
    QNetworkAccessManager m_nam;

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(m_binary), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void serve_keyCreatedThenRequest_relayedWithUpstreamCredential()
    {
        FakeUpstream fake;
        fake.setDefaultReply(stream());
        configureUpstream(fake);
        const QByteArray key = createKey(QStringLiteral("pi-laptop"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QByteArray body;
        QCOMPARE(post(port, "x-api-key", key, &body), 200);
        QVERIFY(body.contains("response.completed"));
        QCOMPARE(fake.lastRequest().path, QByteArray("/responses"));
        QCOMPARE(fake.lastRequest().headers.value("authorization"), QByteArray("Bearer upstream-secret-token"));
        QVERIFY(!fake.lastRequest().headers.contains("x-api-key"));
        stop(serve);
        const QByteArray err = serve.readAllStandardError();
        QVERIFY2(err.contains(QByteArray("x-api-key accepted sk-kg-\xe2\x80\xa6" + key.right(4) + " \"pi-laptop\"")), err.constData());
        QVERIFY2(!err.contains(key), "a plaintext key reached stderr");
        QVERIFY(!err.contains("upstream-secret-token"));
    }

    void serve_hostWithUserinfo_400AndUpstreamUntouched()
    {
        FakeUpstream fake;
        fake.setDefaultReply(stream());
        configureUpstream(fake);
        const QByteArray key = createKey(QStringLiteral("pi-laptop"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        // A raw socket: HTTP clients refuse to send such a Host.
        const auto send = [&](const QByteArray &host) {
            TestSupport::RawHttpClient client;
            if (!client.connectTo(port))
                return std::optional<TestSupport::RawHttpClient::Response>();
            client.send("POST /v1/responses HTTP/1.1\r\nHost: " + host + "\r\nx-api-key: " + key
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(Body.size())
                        + "\r\n\r\n" + Body);
            return client.readResponse(10000);
        };
        const auto refused = send("user@127.0.0.1");
        QVERIFY(refused);
        QCOMPARE(refused->status, 400);
        const QJsonObject error = QJsonDocument::fromJson(refused->body).object().value(u"error").toObject();
        QCOMPARE(error.value(u"type").toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("invalid_host"));
        QCOMPARE(fake.requestCount(), 0);
        const auto served = send("127.0.0.1:" + QByteArray::number(port));
        QVERIFY(served);
        QCOMPARE(served->status, 200);
        QCOMPARE(fake.requestCount(), 1);
        stop(serve);
    }

    void serve_keyChangesFromAnotherProcess_applyWithinOneSecond()
    {
        FakeUpstream fake;
        fake.setDefaultReply(stream());
        configureUpstream(fake);
        const QByteArray first = createKey(QStringLiteral("first"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QCOMPARE(post(port, "Authorization", "Bearer " + first), 200);

        QCOMPARE(keygate({QStringLiteral("keys"), QStringLiteral("disable"), QStringLiteral("first")}).exitCode, 0);
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE_WITH_TIMEOUT(post(port, "Authorization", "Bearer " + first), 401, 1000);
        qInfo("disabled key refused after %lld ms", clock.elapsed());

        const QByteArray second = createKey(QStringLiteral("second"));
        clock.restart();
        QTRY_COMPARE_WITH_TIMEOUT(post(port, "x-api-key", second), 200, 1000);
        qInfo("new key accepted after %lld ms", clock.elapsed());
        stop(serve);
    }

    void serve_sigterm_finishesOpenStreamAndFlushesUsage()
    {
        FakeUpstream fake;
        fake.setDefaultReply(stream(250)); // 7 events: about 1.75 s
        configureUpstream(fake);
        const QByteArray key = createKey(QStringLiteral("ci"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);

        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("x-api-key", key);
        QNetworkReply *reply = m_nam.post(request, Body);
        QTRY_VERIFY_WITH_TIMEOUT(reply->bytesAvailable() > 0, 5000);
        ::kill(pid_t(serve.processId()), SIGTERM);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(reply->readAll().contains("response.completed"));
        reply->deleteLater();
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 12000);
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);

        const Run usage = keygate({QStringLiteral("usage"), QStringLiteral("--json")});
        QCOMPARE(usage.exitCode, 0);
        const QJsonObject total = QJsonDocument::fromJson(usage.out).object().value(u"total").toObject();
        QCOMPARE(total.value(u"request_count").toInteger(), 1);
        QCOMPARE(total.value(u"total_tokens").toInteger(), 340);
        QCOMPARE(total.value(u"cached_input_tokens").toInteger(), 100);
    }

    void serve_portInUse_failsNamingThePort()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const QString listen = QStringLiteral("127.0.0.1:%1").arg(occupier.serverPort());
        const Run run = keygate({QStringLiteral("serve"), QStringLiteral("--listen"), listen});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QByteArray::number(occupier.serverPort())), run.err.constData());
    }

    void serve_nonLoopbackWithoutRequireKey_refused()
    {
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("require-key"),
                          QStringLiteral("false")})
                     .exitCode,
                 0);
        const Run run = keygate({QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("require-key"), run.err.constData());
    }

    void serve_firstStart_saysWhatToRunNext_andAnswers503WithoutUpstream()
    {
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QByteArray body;
        QCOMPARE(post(port, QByteArray(), QByteArray(), &body), 401);
        stop(serve);
        const QByteArray err = serve.readAllStandardError();
        QVERIFY2(err.contains("keygate keys create"), err.constData());
        QVERIFY2(err.contains("keygate accounts login") && err.contains("keygate upstream"), err.constData());

        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("require-key"),
                          QStringLiteral("false")})
                     .exitCode,
                 0);
        QProcess open;
        const quint16 openPort = startServe(open);
        QCOMPARE(post(openPort, QByteArray(), QByteArray(), &body), 503);
        QVERIFY2(body.contains("no_accounts") && body.contains("none is configured"), body.constData());
        stop(open, SIGINT);
    }

    void serve_accountsChangedByCli_applyWithinOneSecond()
    {
        FakeUpstream fake;
        fake.setDefaultReply(stream());
        const QByteArray key = createKey(QStringLiteral("pi-laptop"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QCOMPARE(post(port, "x-api-key", key), 503); // no account yet
        const auto run = [this](const QStringList &arguments) { return keygate(arguments).exitCode; };
        QCOMPARE(run({QStringLiteral("accounts"), QStringLiteral("add-openai"), QStringLiteral("--name"),
                      QStringLiteral("fake"), QStringLiteral("--base-url"), fake.baseUrl().toString() + QStringLiteral("/v1"),
                      QStringLiteral("--token-env"), QStringLiteral("KG_TEST_UPSTREAM_TOKEN")}),
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(post(port, "x-api-key", key), 200, 1000);
        QCOMPARE(fake.lastRequest().headers.value("authorization"), QByteArray("Bearer upstream-secret-token"));
        QCOMPARE(run({QStringLiteral("accounts"), QStringLiteral("pause"), QStringLiteral("fake")}), 0);
        QTRY_COMPARE_WITH_TIMEOUT(post(port, "x-api-key", key), 503, 1000);
        stop(serve);
    }

    void serve_requireKeyChangedByCli_appliesWithinOneSecond()
    {
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QCOMPARE(post(port, QByteArray(), QByteArray()), 401);
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("require-key"),
                          QStringLiteral("false")})
                     .exitCode,
                 0);
        // Auth now lets the local request through; with no upstream it gets the 503 after auth.
        QTRY_COMPARE_WITH_TIMEOUT(post(port, QByteArray(), QByteArray()), 503, 1000);
        stop(serve);
    }
};

QTEST_GUILESS_MAIN(tst_Serve)
#include "tst_serve.moc"
