// SPDX-License-Identifier: MIT
// request-log-retention-days against a real `keygate serve` (KEYGATE_BINARY): set from the CLI while
// serve runs, the store thread prunes the old rows, and /v1/usage and `keygate usage` report the
// same totals afterwards — also after a restart, when serve reads its baseline from the rollups.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"
#include "tests/support/SyntheticRequests.h"

#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>


using namespace Proxy;

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

} // namespace

class tst_RetentionCli final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QNetworkAccessManager m_nam;

    TestSupport::KeygateRun keygate(const QStringList &arguments)
    {
        return TestSupport::runKeygate(m_dir->path(), arguments);
    }


    QJsonObject request(const QByteArray &verb, quint16 port, const char *path, const QByteArray &key,
                        const QByteArray &body = {})
    {
        QNetworkRequest request(QUrl(s("http://127.0.0.1:%1%2").arg(port).arg(s(path))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, s("application/json"));
        request.setRawHeader("Authorization", "Bearer " + key);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray bytes = reply->readAll();
        reply->deleteLater();
        return status == 200 ? QJsonDocument::fromJson(bytes).object() : QJsonObject{{s("status"), status}};
    }

    qint64 rowsOlderThanDays(int days)
    {
        Core::Database db;
        if (!db.open(m_dir->path()).ok())
            return -1;
        QSqlQuery query(db.connection());
        query.prepare(s("SELECT COUNT(*) FROM request_log WHERE time < ?"));
        query.addBindValue(QDateTime::currentDateTimeUtc().addDays(-days).toString(Qt::ISODateWithMs));
        return query.exec() && query.next() ? query.value(0).toLongLong() : -1;
    }

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void settingsSet_requestLogRetention_prunesWhileServing_usageTotalsStayEqual()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {300, 100, 40, 10, 340})));
        QCOMPARE(keygate({s("upstream"), s("set"), s("--kind"), s("openai"), s("--base-url"), fake.baseUrl().toString(),
                          s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")})
                     .exitCode,
                 0);
        const TestSupport::KeygateRun created = keygate({s("keys"), s("create"), s("--name"), s("ci")});
        QCOMPARE(created.exitCode, 0);
        const QByteArray key = created.out.trimmed().split('\n').constLast();
        QCOMPARE(keygate({s("keys"), s("limit"), s("ci"), s("add"), s("--type"), s("tokens"), s("--window"), s("month"),
                          s("--max"), s("100000000")})
                     .exitCode,
                 0);
        { // 600 requests of key 1 and anonymous ones from the last 200 days, written before serve starts
            Core::Database db;
            QVERIFY(db.open(m_dir->path()).ok());
            QVERIFY(Core::RecordWriter(db.connection())
                        .write(TestSupport::syntheticRequests(600, 200, {1, 0}, QDateTime::currentDateTimeUtc()), {})
                        .ok());
        }
        QVERIFY(rowsOlderThanDays(40) > 300);

        QProcess serve;
        quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        const QByteArray body = R"({"model":"gpt-5.4","stream":true,"input":[]})";
        QCOMPARE(request("POST", port, "/v1/responses", key, body).value(u"status").toInt(), 0); // 200: no status field
        const QJsonObject before = request("GET", port, "/v1/usage", key);
        QVERIFY(before.value(u"request_count").toInteger() > 300);
        QCOMPARE(before.value(u"limits").toArray().size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(keygate({s("usage"), s("--json")}).out)
                                      .object()[u"total"][u"request_count"].toInteger(),
                                  601, 5000); // the live request is written
        const QByteArray usageBefore = keygate({s("usage"), s("--json")}).out;

        const TestSupport::KeygateRun set = keygate({s("settings"), s("set"), s("request-log-retention-days"), s("31")});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(set.out.contains("request-log-retention-days: 31\n"));
        QTRY_COMPARE_WITH_TIMEOUT(rowsOlderThanDays(32), 0, 10000);
        QVERIFY(rowsOlderThanDays(20) > 0); // the recent rows stay

        QCOMPARE(request("GET", port, "/v1/usage", key), before);
        QCOMPARE(keygate({s("usage"), s("--json")}).out, usageBefore);
        QVERIFY(TestSupport::stopKeygateServe(serve));

        port = TestSupport::startKeygateServe(serve, m_dir->path()); // baseline from the rollups now
        QVERIFY(port);
        QCOMPARE(request("GET", port, "/v1/usage", key), before);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void settingsSet_requestLogRetentionBelowMinimum_exitTwoAndNothingStored()
    {
        const TestSupport::KeygateRun bad = keygate({s("settings"), s("set"), s("request-log-retention-days"), s("7")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("expected 0 (keep every request) or a whole number from 31 to 3650"), bad.err.constData());
        QVERIFY(keygate({s("settings"), s("show")}).out.contains("request-log-retention-days: 90\n"));
    }
};

QTEST_GUILESS_MAIN(tst_RetentionCli)
#include "tst_retentioncli.moc"
