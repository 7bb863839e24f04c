// SPDX-License-Identifier: MIT
// `keygate doctor` against real parts (issue 16 §6): the real binary, a real data dir made with the CLI,
// a FakeUpstream as the account's base URL (its Date header drives the clock check), a foreign
// QTcpServer or a real `keygate serve` on the listen port, a silent socket as an unreachable upstream.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

using Proxy::FakeUpstream;
using TestSupport::KeygateRun;

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

QByteArray httpDate(const QDateTime &time)
{
    return QLocale::c().toString(time.toUTC(), s("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

/// The line of @p check in doctor's text output ("ok    database integrity  …"), or empty.
QByteArray lineOf(const QByteArray &out, const QByteArray &check)
{
    for (const QByteArray &line : out.split('\n'))
        if (line.mid(6).startsWith(QByteArray(check + "  ")) || line.mid(6) == check)
            return line;
    return {};
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray pricingTaken(const QDate &date)
{
    return R"({"taken": ")" + date.toString(Qt::ISODate).toLatin1()
           + R"(", "models": {"doctor-test": {"input": 1.0, "cached_input": 0.1, "output": 2.0}}})";
}

} // namespace

class tst_Doctor final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_upstream = std::make_unique<FakeUpstream>();
        m_dateOffsetSeconds = 0;
        m_upstream->setHandler([this](const FakeUpstream::Request &) {
            FakeUpstream::Reply reply = FakeUpstream::Reply::json(
                {{s("object"), s("list")}, {s("data"), QJsonArray{QJsonObject{{s("id"), s("gpt-test")}}}}});
            reply.headers.append("Date", httpDate(QDateTime::currentDateTimeUtc().addSecs(m_dateOffsetSeconds)));
            return reply;
        });
        m_port = freePort();
        QVERIFY(m_port);
        QCOMPARE(run({s("settings"), s("set"), s("listen"), s("127.0.0.1:%1").arg(m_port)}).exitCode, 0);
        QVERIFY(writeFile(m_dir->filePath(s("pricing.json")), pricingTaken(QDate::currentDate())));
        QCOMPARE(addAccount(m_upstream->baseUrl().toString() + s("/v1")), 0);
    }

    void doctor_healthyDataDir_allOkExitZero()
    {
        const KeygateRun doctor = run({s("doctor"), s("--timeout"), s("5")});
        QCOMPARE(doctor.exitCode, 0);
        for (const QByteArray &check : {QByteArray("secret store"), QByteArray("database integrity"),
                                        QByteArray("database schema"), QByteArray("listen address"),
                                        QByteArray("account \"up\" token"), QByteArray("account \"up\" expiry"),
                                        QByteArray("account \"up\" reachable"), QByteArray("clock"),
                                        QByteArray("pricing table")})
            QVERIFY2(lineOf(doctor.out, check).startsWith("ok    "), QByteArray(check + " in:\n" + doctor.out).constData());
        for (const QByteArray &line : doctor.out.trimmed().split('\n'))
            QVERIFY2(line.startsWith("ok    "), line.constData());
        // The base URL was really asked, with the account's own token, which is never printed.
        QVERIFY(m_upstream->requestCount() >= 1);
        QCOMPARE(m_upstream->lastRequest().path, QByteArray("/v1/models"));
        QCOMPARE(m_upstream->lastRequest().headers.value("authorization"), QByteArray("Bearer upstream-secret-token"));
        QVERIFY(!doctor.out.contains("upstream-secret-token") && !doctor.err.contains("upstream-secret-token"));
    }

    void doctor_json_arrayOfStatusCheckDetailFix()
    {
        m_dateOffsetSeconds = 120; // a warning: exit 0, a fix given
        const KeygateRun doctor = run({s("doctor"), s("--json")});
        QCOMPARE(doctor.exitCode, 0);
        QJsonParseError error{};
        const QJsonArray lines = QJsonDocument::fromJson(doctor.out, &error).array();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(lines.size() >= 9);
        QStringList checks;
        for (const QJsonValue &value : lines) {
            const QJsonObject line = value.toObject();
            QCOMPARE(line.keys(), (QStringList{s("check"), s("detail"), s("fix"), s("status")}));
            QVERIFY(QStringList({s("ok"), s("warn"), s("fail")}).contains(line[s("status")].toString()));
            QVERIFY(!line[s("detail")].toString().isEmpty());
            QCOMPARE(line[s("fix")].toString().isEmpty(), line[s("status")].toString() == u"ok");
            checks.append(line[s("check")].toString());
        }
        QVERIFY2(checks.contains(s("account \"up\" reachable")), qPrintable(checks.join(u'|')));
        const QJsonObject clock = lines.at(checks.indexOf(s("clock"))).toObject();
        QCOMPARE(clock[s("status")].toString(), s("warn"));
        QVERIFY2(clock[s("detail")].toString().contains(s("behind")), qPrintable(clock[s("detail")].toString()));
    }

    void doctor_corruptedDatabaseCopy_failsIntegrity()
    {
        QCOMPARE(run({s("doctor")}).exitCode, 0);
        // A copy of the healthy data dir whose database has a page overwritten.
        QTemporaryDir copy;
        for (const QString &name : QDir(m_dir->path()).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_dir->filePath(name), copy.filePath(name)));
        QFile db(copy.filePath(s("keygate.db")));
        QVERIFY(db.open(QIODevice::ReadWrite));
        QVERIFY(db.size() > 3 * 4096);
        QVERIFY(db.seek(4096)); // page 2: a b-tree page's header and cell pointers
        QCOMPARE(db.write(QByteArray(512, '\xA5')), qint64(512));
        db.close();

        const KeygateRun doctor = TestSupport::runKeygate(copy.path(), {s("doctor")});
        QCOMPARE(doctor.exitCode, 1);
        QVERIFY2(lineOf(doctor.out, "database integrity").startsWith("fail  "), doctor.out.constData());
        QVERIFY2(lineOf(doctor.out, "database integrity").contains("restore"), doctor.out.constData());
        QVERIFY(lineOf(doctor.out, "secret store").startsWith("ok    ")); // the other checks still ran
        QVERIFY(lineOf(doctor.out, "pricing table").startsWith("ok    "));
        // The original is untouched.
        QCOMPARE(run({s("doctor")}).exitCode, 0);
    }

    void doctor_schemaNewerThanBinary_failsWithFix()
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(s("QSQLITE"), s("newer"));
            db.setDatabaseName(m_dir->filePath(s("keygate.db")));
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(s("PRAGMA user_version = 999")));
            db.close();
        }
        QSqlDatabase::removeDatabase(s("newer"));
        const KeygateRun doctor = run({s("doctor")});
        QCOMPARE(doctor.exitCode, 1);
        const QByteArray line = lineOf(doctor.out, "database schema");
        QVERIFY2(line.startsWith("fail  ") && line.contains("999 is newer"), doctor.out.constData());
        QVERIFY(line.contains("run the newer Keygate"));
    }

    void doctor_portHeldByForeignServer_failsListen()
    {
        QTcpServer foreign;
        QVERIFY(foreign.listen(QHostAddress::LocalHost, m_port));
        const KeygateRun doctor = run({s("doctor"), s("--timeout"), s("2")});
        QCOMPARE(doctor.exitCode, 1);
        const QByteArray line = lineOf(doctor.out, "listen address");
        QVERIFY2(line.startsWith("fail  ") && line.contains("in use by another program"), doctor.out.constData());
        QVERIFY(line.contains("ss -ltnp"));
    }

    void doctor_portHeldByOwnServe_okThenStrangerWithStaleRecord_fails()
    {
        QProcess serve;
        serve.setProcessEnvironment(TestSupport::keygateEnvironment(m_dir->path()));
        serve.start(qEnvironmentVariable("KEYGATE_BINARY"), {s("serve")});
        QByteArray out;
        QVERIFY(QTest::qWaitFor([&] { return (out += serve.readAllStandardOutput()).contains("listening on http://"); }, 10000));
        QVERIFY2(out.contains(QByteArray::number(m_port)), out.constData());

        const KeygateRun doctor = run({s("doctor")});
        QCOMPARE(doctor.exitCode, 0);
        const QByteArray line = lineOf(doctor.out, "listen address");
        QVERIFY2(line.startsWith("ok    ") && line.contains(QByteArray("pid " + QByteArray::number(serve.processId()))),
                 doctor.out.constData());

        // Killed without a clean stop, its record stays; a stranger that answers /health like Keygate
        // then takes the port. The dead pid gives it away.
        serve.kill();
        QVERIFY(serve.waitForFinished(5000));
        QVERIFY(QFile::exists(m_dir->filePath(s("listener.json"))));
        FakeUpstream stranger;
        stranger.setReply("/health", FakeUpstream::Reply::json({{s("status"), s("ok")}}));
        QCOMPARE(run({s("settings"), s("set"), s("listen"), s("127.0.0.1:%1").arg(stranger.port())}).exitCode, 0);
        QFile record(m_dir->filePath(s("listener.json")));
        QVERIFY(record.open(QIODevice::ReadOnly));
        QJsonObject object = QJsonDocument::fromJson(record.readAll()).object();
        record.close();
        object[s("port")] = int(stranger.port());
        QVERIFY(writeFile(record.fileName(), QJsonDocument(object).toJson()));

        const KeygateRun afterKill = run({s("doctor")});
        QCOMPARE(afterKill.exitCode, 1);
        const QByteArray strangerLine = lineOf(afterKill.out, "listen address");
        QVERIFY2(strangerLine.startsWith("fail  ") && strangerLine.contains("another Keygate"), afterKill.out.constData());
        QVERIFY(stranger.requestCount() >= 1); // it was asked, and its answer alone did not pass
    }

    void doctor_baseUrlNeverAnswers_failsWithinTimeout()
    {
        QTcpServer silent; // accepts connections (the kernel does) and never says a word
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QCOMPARE(run({s("accounts"), s("remove"), s("up")}).exitCode, 0);
        QCOMPARE(addAccount(s("http://127.0.0.1:%1/v1").arg(silent.serverPort())), 0);

        QElapsedTimer elapsed;
        elapsed.start();
        const KeygateRun doctor = run({s("doctor"), s("--timeout"), s("2")});
        const qint64 ms = elapsed.elapsed();
        QCOMPARE(doctor.exitCode, 1);
        const QByteArray line = lineOf(doctor.out, "account \"up\" reachable");
        QVERIFY2(line.startsWith("fail  ") && line.contains("no answer"), doctor.out.constData());
        QVERIFY2(ms >= 1900 && ms < 6000, QByteArray::number(ms).constData());
        QVERIFY(lineOf(doctor.out, "clock").startsWith("warn  "));
    }

    void doctor_upstreamDateOff_clockStatus_data()
    {
        QTest::addColumn<int>("offsetSeconds");
        QTest::addColumn<QByteArray>("status");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("in sync") << 0 << QByteArray("ok    ") << 0;
        QTest::newRow("2 min ahead upstream") << 120 << QByteArray("warn  ") << 0;
        QTest::newRow("10 min ahead upstream") << 600 << QByteArray("fail  ") << 1;
        QTest::newRow("10 min behind upstream") << -600 << QByteArray("fail  ") << 1;
    }

    void doctor_upstreamDateOff_clockStatus()
    {
        QFETCH(int, offsetSeconds);
        QFETCH(QByteArray, status);
        QFETCH(int, exitCode);
        m_dateOffsetSeconds = offsetSeconds;
        const KeygateRun doctor = run({s("doctor")});
        QCOMPARE(doctor.exitCode, exitCode);
        const QByteArray line = lineOf(doctor.out, "clock");
        QVERIFY2(line.startsWith(status), doctor.out.constData());
        if (offsetSeconds != 0)
            QVERIFY(line.contains("timedatectl"));
    }

    void doctor_tokenMissingFromSecretStore_failsToken()
    {
        // The row stays, its token is gone (a keychain reset, a secrets file from elsewhere).
        const QString path = m_dir->filePath(s("secrets.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject secrets = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        int removed = 0;
        for (const QString &name : secrets.keys())
            if (name.startsWith(u"account/"))
            {
                secrets.remove(name);
                ++removed;
            }
        QVERIFY(removed >= 1);
        QVERIFY(writeFile(path, QJsonDocument(secrets).toJson()));

        const KeygateRun doctor = run({s("doctor")});
        QCOMPARE(doctor.exitCode, 1);
        const QByteArray line = lineOf(doctor.out, "account \"up\" token");
        QVERIFY2(line.startsWith("fail  ") && line.contains("keygate accounts set-token up"), doctor.out.constData());
        QVERIFY(lineOf(doctor.out, "account \"up\" reachable").isEmpty()); // nothing to send
        QCOMPARE(m_upstream->requestCount(), 0);
    }

    void doctor_secretStoreBroken_failsAndSkipsAccounts()
    {
        // secrets.json replaced by a directory: the store can be neither read nor written.
        QVERIFY(QFile::remove(m_dir->filePath(s("secrets.json"))));
        QVERIFY(QDir(m_dir->path()).mkdir(s("secrets.json")));
        const KeygateRun doctor = run({s("doctor")});
        QCOMPARE(doctor.exitCode, 1);
        QVERIFY2(lineOf(doctor.out, "secret store").startsWith("fail  "), doctor.out.constData());
        QVERIFY(lineOf(doctor.out, "accounts").startsWith("warn  "));
        QVERIFY(lineOf(doctor.out, "account \"up\" token").isEmpty());
        QCOMPARE(m_upstream->requestCount(), 0);
        QVERIFY(lineOf(doctor.out, "listen address").startsWith("ok    ")); // the rest still ran
    }

    void doctor_stalePricing_warnsExitZero()
    {
        QVERIFY(writeFile(m_dir->filePath(s("pricing.json")), pricingTaken(QDate::currentDate().addDays(-200))));
        const KeygateRun doctor = run({s("doctor")});
        QCOMPARE(doctor.exitCode, 0);
        const QByteArray line = lineOf(doctor.out, "pricing table");
        QVERIFY2(line.startsWith("warn  ") && line.contains("200 days ago"), doctor.out.constData());
    }

    void doctor_badTimeoutOrHelp_usageAndHelp()
    {
        QCOMPARE(run({s("doctor"), s("--timeout"), s("0")}).exitCode, 2);
        QCOMPARE(run({s("doctor"), s("--timeout"), s("soon")}).exitCode, 2);
        QCOMPARE(run({s("doctor"), s("extra")}).exitCode, 2);
        const KeygateRun help = run({s("doctor"), s("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--timeout") && help.out.contains("--json"));
        QCOMPARE(m_upstream->requestCount(), 0);
    }

private:
    KeygateRun run(const QStringList &arguments) { return TestSupport::runKeygate(m_dir->path(), arguments); }

    int addAccount(const QString &baseUrl)
    {
        return run({s("accounts"), s("add-openai"), s("--name"), s("up"), s("--base-url"), baseUrl, s("--token-env"),
                    s("KG_TEST_UPSTREAM_TOKEN")})
            .exitCode;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeUpstream> m_upstream;
    int m_dateOffsetSeconds = 0;
    quint16 m_port = 0;
};

QTEST_GUILESS_MAIN(tst_Doctor)
#include "tst_doctor.moc"
