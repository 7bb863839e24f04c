// SPDX-License-Identifier: MIT
// End to end: `kill -9` of a loaded `keygate serve` loses no usage that clients were served. Four
// clients stream responses back to back through the real binary (FakeUpstream behind it); serve is
// killed mid-load; then `keygate usage --json` must count at least every response a client saw
// complete, with its tokens.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"

#include "app/core/storage/Database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Proxy;

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","stream":true,"input":[]})";
constexpr qint64 TokensPerResponse = 340;
constexpr int Clients = 4;

} // namespace

class tst_KillNine final : public QObject
{
    Q_OBJECT

private:
    using Run = TestSupport::KeygateRun;
    Run keygate(const QStringList &arguments) { return TestSupport::runKeygate(m_dir.path(), arguments); }

    /// One client: posts, reads the stream to its end, counts it if it completed, and posts again.
    void sendNext(quint16 port, const QByteArray &key)
    {
        if (m_killed)
            return;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("x-api-key", key);
        QNetworkReply *reply = m_nam.post(request, Body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, port, key] {
            reply->deleteLater();
            if (reply->error() == QNetworkReply::NoError && reply->readAll().contains("event: response.completed"))
                ++m_completed;
            sendNext(port, key);
        });
    }

    QTemporaryDir m_dir;
    QNetworkAccessManager m_nam;
    int m_completed = 0;
    bool m_killed = false;

private slots:
    void killNine_underLoad_everyCompletedResponseStored()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("a"), QStringLiteral("b")},
                                          {300, 100, 40, 10, TokensPerResponse})));
        QCOMPARE(keygate({QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"),
                          QStringLiteral("openai"), QStringLiteral("--base-url"), fake.baseUrl().toString(),
                          QStringLiteral("--token-env"), QStringLiteral("KG_TEST_UPSTREAM_TOKEN")})
                     .exitCode,
                 0);
        const Run created =
            keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("load")});
        QCOMPARE(created.exitCode, 0);
        const QByteArray key = created.out.trimmed().split('\n').last();

        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir.path());
        QVERIFY(port);
        for (int i = 0; i < Clients; ++i)
            sendNext(port, key);
        // Killed at an arbitrary moment of a stream, not at a batch boundary.
        QTest::qWait(2000 + QRandomGenerator::global()->bounded(1000));
        QVERIFY(m_completed > 50); // the load really ran
        ::kill(pid_t(serve.processId()), SIGKILL);
        m_killed = true;
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 5000);
        QTest::qWait(300); // replies whose bytes had all arrived still finish, and count as seen complete
        const int seen = m_completed;

        const Run usage = keygate({QStringLiteral("usage"), QStringLiteral("--json")});
        QCOMPARE(usage.exitCode, 0);
        const QJsonObject total = QJsonDocument::fromJson(usage.out).object().value(u"total").toObject();
        qInfo("clients saw %d responses complete; the store counts %lld requests, %lld tokens", seen,
              total.value(u"request_count").toInteger(), total.value(u"total_tokens").toInteger());
        QVERIFY(total.value(u"request_count").toInteger() >= seen);
        QVERIFY(total.value(u"total_tokens").toInteger() >= seen * TokensPerResponse);

        // `keygate usage` reads the daily rollup; the kill left it equal to the rows it was written with.
        Core::Database db;
        QVERIFY(db.open(m_dir.path()).ok());
        QSqlQuery rows(db.connection());
        QVERIFY(rows.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM request_log),"
                                         " (SELECT COALESCE(SUM(total_tokens), 0) FROM request_log),"
                                         " (SELECT SUM(requests) FROM usage_daily), (SELECT SUM(total_tokens) FROM usage_daily)")) &&
                rows.next());
        QCOMPARE(rows.value(2).toLongLong(), rows.value(0).toLongLong());
        QCOMPARE(rows.value(3).toLongLong(), rows.value(1).toLongLong());
        QCOMPARE(total.value(u"request_count").toInteger(), rows.value(0).toLongLong());
    }
};

QTEST_GUILESS_MAIN(tst_KillNine)
#include "tst_killnine.moc"
