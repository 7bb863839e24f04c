// SPDX-License-Identifier: MIT
// `keygate import codex-lb` end to end: a codex-lb database made here, the real keygate binary
// (KEYGATE_BINARY) importing it, and a real `keygate serve` in front of a FakeUpstream checking that
// the imported sk-clb- keys, their state and their limit counts work as they did in codex-lb.
#include "tests/cli/CodexLbFixture.h"
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"

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


using namespace Proxy;
using TestSupport::CodexLbFixture;

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

// Pi sends a JWT placeholder as Bearer and the real key in x-api-key.
constexpr auto PiPlaceholder = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJwaSJ9.c2lnbmF0dXJl";

struct Run final
{
    int exitCode = -1;
    QString out;
    QString err;
};

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class tst_ImportCodexLb final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_codexLbPath;
    QNetworkAccessManager m_nam;
    const QByteArray m_ciKey = CodexLbFixture::plaintext("ci");
    const QByteArray m_offKey = CodexLbFixture::plaintext("off");
    const QByteArray m_oldKey = CodexLbFixture::plaintext("old");

    Run keygate(const QStringList &arguments)
    {
        const TestSupport::KeygateRun run = TestSupport::runKeygate(m_dir->filePath(s("data")), arguments);
        return {run.exitCode, QString::fromUtf8(run.out), QString::fromUtf8(run.err)};
    }
    Run import(const QStringList &extra = {})
    {
        return keygate(QStringList{s("import"), s("codex-lb"), s("--db"), m_codexLbPath} + extra);
    }
    QJsonObject importJson(const QStringList &extra = {})
    {
        const Run run = import(QStringList{s("--json")} + extra);
        return run.exitCode == 0 ? QJsonDocument::fromJson(run.out.toUtf8()).object() : QJsonObject();
    }
    QJsonArray keys()
    {
        return QJsonDocument::fromJson(keygate({s("keys"), s("list"), s("--json")}).out.toUtf8()).array();
    }
    QJsonObject keyNamed(const QString &name)
    {
        for (const QJsonValue &key : keys())
            if (key[u"name"].toString() == name)
                return key.toObject();
        return {};
    }

    int post(quint16 port, const QList<QPair<QByteArray, QByteArray>> &headers, const char *model = "gpt-5.4")
    {
        QNetworkRequest request(QUrl(s("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, s("application/json"));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        const QJsonObject body{{s("model"), s(model)}, {s("stream"), true}, {s("input"), QJsonArray()}};
        QNetworkReply *reply = m_nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }
    int bearer(quint16 port, const QByteArray &key) { return post(port, {{"Authorization", "Bearer " + key}}); }

    void configureUpstream(const FakeUpstream &fake)
    {
        QCOMPARE(keygate({s("upstream"), s("set"), s("--kind"), s("openai"), s("--base-url"), fake.baseUrl().toString(),
                          s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")})
                     .exitCode,
                 0);
    }

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_codexLbPath = m_dir->filePath(s("store.db"));
    }

    void serve_importedKeys_authenticateAsCodexLbDid()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            CodexLbFixture codexLb(m_codexLbPath);
            codexLb.addKey(s("k1"), s("ci"), m_ciKey);
            codexLb.addKey(s("k2"), s("off"), m_offKey, false);
            codexLb.addKey(s("k3"), s("old"), m_oldKey, true, CodexLbFixture::naive(now.addSecs(-60)));
        }
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {10, 0, 5, 0, 15})));
        configureUpstream(fake);
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->filePath(s("data")));
        QVERIFY(port);
        QCOMPARE(bearer(port, m_ciKey), 401); // not imported yet

        const Run imported = import();
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.out.contains(u"create    \"ci\" sk-clb-" + QString::fromLatin1(m_ciKey.mid(7, 4)) + u'\u2026'),
                 qPrintable(imported.out));
        QVERIFY2(imported.out.endsWith(s("imported: 3 create, 0 update, 0 unchanged, 0 skip\n")), qPrintable(imported.out));
        // The running serve picks the keys up like any key change.
        QTRY_COMPARE_WITH_TIMEOUT(bearer(port, m_ciKey), 200, 2000);
        QCOMPARE(post(port, {{"Authorization", QByteArray("Bearer ") + PiPlaceholder}, {"x-api-key", m_ciKey}}), 200);
        QCOMPARE(post(port, {{"x-api-key", m_ciKey}}), 200);
        QCOMPARE(bearer(port, m_offKey), 401);
        QCOMPARE(post(port, {{"Authorization", QByteArray("Bearer ") + PiPlaceholder}, {"x-api-key", m_oldKey}}), 401);
        // The same secret under Keygate's prefix, or cut short, is not the key.
        QCOMPARE(bearer(port, "sk-kg-" + m_ciKey.mid(7)), 401);
        QCOMPARE(bearer(port, m_ciKey.chopped(1)), 401);
        QVERIFY(TestSupport::stopKeygateServe(serve));

        const QJsonObject ci = keyNamed(s("ci"));
        QCOMPARE(ci[u"origin"].toString(), s("codex-lb"));
        QCOMPARE(ci[u"masked_key"].toString(), s("sk-clb-") + QString::fromLatin1(m_ciKey.mid(7, 4)) + u'\u2026');
        QCOMPARE(keyNamed(s("off"))[u"enabled"].toBool(), false);
        QVERIFY(keyNamed(s("old"))[u"expires_at"].toString().startsWith(now.addSecs(-60).toString(Qt::ISODate).left(16)));
    }

    void serve_kgTokenWithAnImportedHash_refused()
    {
        // A hostile codex-lb row: the hash of an sk-kg- token under an sk-clb- prefix.
        const QByteArray kgToken = "sk-kg-" + CodexLbFixture::plaintext("forged").mid(7);
        {
            CodexLbFixture codexLb(m_codexLbPath);
            codexLb.exec(s("INSERT INTO api_keys (id, name, key_hash, key_prefix, is_active) VALUES (?, ?, ?, ?, 1)"),
                         {s("k9"), s("forged"), CodexLbFixture::sha256Hex(kgToken), s("sk-clb-AbCdEfGh")});
        }
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {10, 0, 5, 0, 15})));
        configureUpstream(fake);
        QCOMPARE(import().exitCode, 0);
        QCOMPARE(keyNamed(s("forged"))[u"origin"].toString(), s("codex-lb"));
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->filePath(s("data")));
        QVERIFY(port);
        QCOMPARE(bearer(port, kgToken), 401);
        QCOMPARE(post(port, {{"x-api-key", kgToken}}), 401);
        QCOMPARE(fake.requestCount(), 0);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void import_again_updatesNeverDuplicates()
    {
        const QDateTime reset = QDateTime::currentDateTimeUtc().addSecs(3 * 3600);
        CodexLbFixture codexLb(m_codexLbPath);
        codexLb.addKey(s("k1"), s("ci"), m_ciKey, true, QVariant(), s("[\"gpt-5.4\"]"));
        codexLb.addLimit(s("k1"), s("total_tokens"), s("daily"), 1000, 10, reset);
        QCOMPARE(import().exitCode, 0);
        QCOMPARE(keys().size(), 1);
        const qint64 id = keyNamed(s("ci"))[u"id"].toInteger();

        const Run unchanged = import();
        QVERIFY2(unchanged.out.startsWith(s("unchanged key %1 \"ci\"").arg(id)), qPrintable(unchanged.out));

        codexLb.exec(s("UPDATE api_keys SET name = 'ci-renamed', is_active = 0, allowed_models = NULL"));
        codexLb.exec(s("UPDATE api_key_limits SET max_value = 2000, current_value = 500"));
        const Run updated = import();
        QCOMPARE(updated.exitCode, 0);
        QVERIFY2(updated.out.startsWith(s("update    key %1 \"ci-renamed\" ").arg(id)) &&
                     updated.out.contains(u": name, enabled, allowed models, limits\n"),
                 qPrintable(updated.out));
        QCOMPARE(keys().size(), 1);
        const QJsonObject key = keyNamed(s("ci-renamed"));
        QCOMPARE(key[u"id"].toInteger(), id);
        QCOMPARE(key[u"enabled"].toBool(), false);
        QCOMPARE(key[u"allowed_models"].toArray(), QJsonArray());
        const QJsonArray limits = key[u"limits"].toArray();
        QCOMPARE(limits.size(), 1);
        QCOMPARE(limits.at(0)[u"max_value"].toInteger(), 2000);
        QCOMPARE(limits.at(0)[u"current_value"].toInteger(), 500);
    }

    void dryRun_printsThePlan_changesNothing_codexLbFileUntouched()
    {
        {
            CodexLbFixture codexLb(m_codexLbPath);
            codexLb.addKey(s("k1"), s("ci"), m_ciKey);
        }
        const QByteArray before = fileHash(m_codexLbPath);
        const QJsonObject plan = importJson({s("--dry-run")});
        QCOMPARE(plan[u"dry_run"].toBool(), true);
        QCOMPARE(plan[u"summary"][u"create"].toInt(), 1);
        QCOMPARE(plan[u"keys"][0][u"action"].toString(), s("create"));
        QCOMPARE(plan[u"keys"][0][u"name"].toString(), s("ci"));
        QVERIFY(plan[u"keys"][0][u"keygate_id"].isNull());
        const Run text = import({s("--dry-run")});
        QVERIFY2(text.out.endsWith(s("dry run: 1 create, 0 update, 0 unchanged, 0 skip; nothing was changed\n")),
                 qPrintable(text.out));
        QCOMPARE(keys().size(), 0);
        QCOMPARE(import().exitCode, 0);
        QCOMPARE(keys().size(), 1);
        QCOMPARE(fileHash(m_codexLbPath), before);
        QVERIFY(!QFileInfo::exists(m_codexLbPath + s("-journal")));
    }

    void serve_carriedCounts_refuseAtTheRightRequest_alsoAfterRestart()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            CodexLbFixture codexLb(m_codexLbPath);
            codexLb.addKey(s("k1"), s("ci"), m_ciKey);
            // 700 of 1,100 already used in codex-lb's current day; each request here uses 340.
            codexLb.addLimit(s("k1"), s("total_tokens"), s("daily"), 1100, 700, now.addSecs(3 * 3600));
            codexLb.addKey(s("k2"), s("fresh"), m_offKey);
            // codex-lb's window ended: its count no longer applies.
            codexLb.addLimit(s("k2"), s("total_tokens"), s("5h"), 1000, 5000, now.addSecs(-3600));
        }
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {300, 0, 40, 0, 340})));
        configureUpstream(fake);
        const QJsonObject plan = importJson();
        QCOMPARE(plan[u"keys"][0][u"limits"][0][u"carried_value"].toInteger(), 700);
        QCOMPARE(plan[u"keys"][1][u"limits"][0][u"carried_value"].toInteger(), 0);
        QVERIFY2(plan[u"keys"][1][u"limits"][0][u"note"].toString().contains(u"count starts at 0"),
                 qPrintable(plan[u"keys"][1][u"limits"][0][u"note"].toString()));

        QProcess serve;
        quint16 port = TestSupport::startKeygateServe(serve, m_dir->filePath(s("data")));
        QVERIFY(port);
        QCOMPARE(bearer(port, m_ciKey), 200); // 700 → 1,040
        QCOMPARE(bearer(port, m_ciKey), 200); // 1,040 < 1,100 → 1,380
        const int upstream = fake.requestCount();
        QCOMPARE(bearer(port, m_ciKey), 429);
        QCOMPARE(fake.requestCount(), upstream);
        QCOMPARE(bearer(port, m_offKey), 200);
        QVERIFY(TestSupport::stopKeygateServe(serve));

        // After a restart: the carried 700 plus the 680 in the request log.
        QTRY_COMPARE_WITH_TIMEOUT(keyNamed(s("ci"))[u"limits"][0][u"current_value"].toInteger(), 1100, 5000);
        port = TestSupport::startKeygateServe(serve, m_dir->filePath(s("data")));
        QVERIFY(port);
        QCOMPARE(bearer(port, m_ciKey), 429);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void unsupportedMappings_reportedPerRow_notGuessed()
    {
        const QDateTime reset = QDateTime::currentDateTimeUtc().addSecs(3600);
        QCOMPARE(keygate({s("keys"), s("create"), s("--name"), s("taken")}).exitCode, 0);
        {
            CodexLbFixture codexLb(m_codexLbPath, true);
            codexLb.addKey(s("k1"), s("ok"), m_ciKey);
            codexLb.addLimit(s("k1"), s("credits"), s("weekly"), 100, 0, reset);
            codexLb.addLimit(s("k1"), s("total_tokens"), s("hourly"), 100, 0, reset);
            codexLb.addLimit(s("k1"), s("cost_usd"), s("monthly"), 5000000, 0, reset, s(" gpt-5.4"));
            codexLb.addLimit(s("k1"), s("TOTAL_TOKENS"), s("WEEKLY"), 1000, 0, reset);
            codexLb.addLimit(s("k1"), s("total_tokens"), s("7d"), 500, 0, reset);
            codexLb.addKey(s("k2"), s("taken"), m_offKey);
            codexLb.addKey(s("k3"), s("pinned"), m_oldKey);
            codexLb.exec(s("UPDATE api_keys SET enforced_model = 'gpt-5.4-mini' WHERE id = 'k3'"));
            codexLb.addKey(s("k4"), s("garbled"), CodexLbFixture::plaintext("garbled"), true, QVariant(), s("gpt-5.4"));
        }
        const QJsonObject plan = importJson();
        const QJsonArray planned = plan[u"keys"].toArray();
        QCOMPARE(planned.size(), 4);
        QCOMPARE(planned[0][u"action"].toString(), s("create"));
        const QJsonArray limits = planned[0][u"limits"].toArray();
        QCOMPARE(limits.size(), 5);
        const auto check = [&](int i, const char *action, const char *noteContains) {
            QCOMPARE(limits[i][u"action"].toString(), s(action));
            QVERIFY2(limits[i][u"note"].toString().contains(s(noteContains)), qPrintable(limits[i][u"note"].toString()));
        };
        check(0, "skip", "no credits limits");
        check(1, "skip", "no \"hourly\" window");
        check(2, "skip", "cannot be matched");
        check(3, "import", "0 already used");
        check(4, "skip", "like limit");
        QCOMPARE(planned[1][u"action"].toString(), s("skip"));
        QVERIFY(planned[1][u"reason"].toString().contains(u"Keygate key 1 is already named \"taken\""));
        QCOMPARE(planned[2][u"action"].toString(), s("skip"));
        QVERIFY(planned[2][u"reason"].toString().startsWith(u"enforced_model \"gpt-5.4-mini\""));
        QCOMPARE(planned[3][u"action"].toString(), s("skip"));
        QVERIFY(planned[3][u"reason"].toString().contains(u"allowed_models is not a JSON list"));
        QCOMPARE(keys().size(), 2); // "taken" and "ok"
        QCOMPARE(keyNamed(s("ok"))[u"limits"].toArray().size(), 1);
    }

    void revealAndShow_importedKey_sayThePlaintextIsUnknown()
    {
        {
            CodexLbFixture codexLb(m_codexLbPath);
            codexLb.addKey(s("k1"), s("ci"), m_ciKey);
        }
        QCOMPARE(import().exitCode, 0);
        const Run reveal = keygate({s("keys"), s("reveal"), s("ci")});
        QCOMPARE(reveal.exitCode, 1);
        QVERIFY(reveal.out.isEmpty());
        QVERIFY2(reveal.err.contains(u"was imported from codex-lb, which kept only its hash"), qPrintable(reveal.err));
        const Run show = keygate({s("keys"), s("show"), s("ci")});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains(s("key        sk-clb-") + QString::fromLatin1(m_ciKey.mid(7, 4)) + u'\u2026') &&
                     show.out.contains(u"origin     codex-lb (imported: its plaintext and last 4 characters are unknown"),
                 qPrintable(show.out));
        QVERIFY(!show.out.contains(QString::fromLatin1(m_ciKey.mid(11))));
        // Regenerating makes it a Keygate key, which can be revealed.
        QCOMPARE(keygate({s("keys"), s("regenerate"), s("ci")}).exitCode, 0);
        QCOMPARE(keyNamed(s("ci"))[u"origin"].toString(), s("keygate"));
        QVERIFY(keygate({s("keys"), s("reveal"), s("ci")}).out.startsWith(u"sk-kg-"));
    }

    void errors_clearMessageAndExitStatus_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing file") << s("none") << QStringList{s("import"), s("codex-lb"), s("--db"), s("@/nope.db")}
                                      << 1 << s("no such file: ");
        QTest::newRow("not sqlite") << s("text") << QStringList{s("import"), s("codex-lb"), s("--db"), s("@")} << 1
                                    << s("is not a codex-lb database (not an SQLite file)");
        QTest::newRow("no api_keys") << s("empty") << QStringList{s("import"), s("codex-lb"), s("--db"), s("@")} << 1
                                     << s("is not a codex-lb database: it has no api_keys table");
        QTest::newRow("locked") << s("locked") << QStringList{s("import"), s("codex-lb"), s("--db"), s("@")} << 1
                                << s("is locked by another process");
        QTest::newRow("no --db") << s("none") << QStringList{s("import"), s("codex-lb")} << 2 << s("--db PATH is required");
        QTest::newRow("other source") << s("none") << QStringList{s("import"), s("litellm"), s("--db"), s("x")} << 2
                                      << s("unknown import source \"litellm\"");
        QTest::newRow("no source") << s("none") << QStringList{s("import")} << 2 << s("missing argument");
    }
    void errors_clearMessageAndExitStatus()
    {
        QFETCH(QString, setup);
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        for (QString &argument : arguments)
            argument.replace(u'@', m_codexLbPath);
        std::unique_ptr<CodexLbFixture> holder;
        if (setup == u"text") {
            QFile file(m_codexLbPath);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(4096, 'x'));
        } else if (setup == u"empty") {
            QSqlDatabase db = QSqlDatabase::addDatabase(s("QSQLITE"), s("empty"));
            db.setDatabaseName(m_codexLbPath);
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(s("CREATE TABLE accounts (id TEXT)")));
            db.close();
        } else if (setup == u"locked") {
            holder = std::make_unique<CodexLbFixture>(m_codexLbPath);
            holder->addKey(s("k1"), s("ci"), m_ciKey);
            holder->exec(s("BEGIN EXCLUSIVE")); // codex-lb in the middle of a write
        }
        const Run run = keygate(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.startsWith(u"keygate: error: ") && run.err.contains(message), qPrintable(run.err));
        if (holder)
            holder->exec(s("ROLLBACK"));
        QSqlDatabase::removeDatabase(s("empty"));
        QCOMPARE(keys().size(), 0);
    }

    void help_describesTheCommand()
    {
        const Run help = keygate({s("import"), s("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(u"--db <PATH>") && help.out.contains(u"--dry-run") && help.out.contains(u"--json"),
                 qPrintable(help.out));
        QVERIFY(keygate({s("--help")}).out.contains(u"import codex-lb --db PATH [--dry-run] [--json]"));
    }
};

QTEST_GUILESS_MAIN(tst_ImportCodexLb)
#include "tst_importcodexlb.moc"
