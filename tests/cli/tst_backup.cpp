// SPDX-License-Identifier: MIT
// End to end: `keygate backup` and `keygate restore` with the built binary, against a real `serve`
// and a FakeUpstream started here: the round trip keeps keys, usage and (with secrets) tokens; a
// wrong passphrase, a damaged file, a non-empty dir or a running serve change nothing.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"

#include <QCryptographicHash>
#include <QDirIterator>
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

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","stream":true,"input":[]})";
const QByteArray Passphrase = "correct horse battery staple";
const QByteArray UpstreamToken = "upstream-secret-token"; // KeygateProcess.h hands it over

/// Every file under @p dir with the SHA-256 of its content: equal maps mean nothing changed.
QMap<QString, QByteArray> fingerprint(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(dir).relativeFilePath(path),
                         QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256));
    }
    return files;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void answerWithStream(FakeUpstream &fake)
{
    fake.setDefaultReply(FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("a")}, {300, 100, 40, 10, 340})));
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class tst_Backup final : public QObject
{
    Q_OBJECT

private:
    using Run = TestSupport::KeygateRun;

    QString dir(const QString &name) const { return m_root->filePath(name); }

    Run keygate(const QString &dataDir, const QStringList &arguments, const QByteArray &input = {})
    {
        return TestSupport::runKeygate(dataDir, arguments, input);
    }

    /// keygate with the passphrase in KEYGATE_BACKUP_PASSPHRASE instead of stdin.
    Run keygateWithPassphraseEnv(const QString &dataDir, const QStringList &arguments, const QByteArray &passphrase)
    {
        QProcess process;
        QProcessEnvironment env = TestSupport::keygateEnvironment(dataDir);
        env.insert(QStringLiteral("KEYGATE_BACKUP_PASSPHRASE"), QString::fromUtf8(passphrase));
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("KEYGATE_BINARY"), arguments);
        process.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 15000))
            return {};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                process.readAllStandardOutput(), process.readAllStandardError()};
    }

    QByteArray createKey(const QString &dataDir, const QString &name)
    {
        const Run run = keygate(dataDir, {QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), name});
        return run.out.trimmed().split('\n').last();
    }

    void configureUpstream(const QString &dataDir, const FakeUpstream &fake)
    {
        const Run run = keygate(dataDir, {QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"),
                                          QStringLiteral("openai"), QStringLiteral("--base-url"),
                                          fake.baseUrl().toString(), QStringLiteral("--token-env"),
                                          QStringLiteral("KG_TEST_UPSTREAM_TOKEN")});
        QCOMPARE(run.exitCode, 0);
    }

    QNetworkReply *send(quint16 port, const QByteArray &key)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("x-api-key", key);
        return m_nam.post(request, Body);
    }

    int post(quint16 port, const QByteArray &key)
    {
        QNetworkReply *reply = send(port, key);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }


    QJsonObject usageTotal(const QString &dataDir)
    {
        const Run run = keygate(dataDir, {QStringLiteral("usage"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(run.out).object().value(u"total").toObject();
    }

    QJsonObject firstAccount(const QString &dataDir)
    {
        const Run run = keygate(dataDir, {QStringLiteral("accounts"), QStringLiteral("list"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(run.out).array().first().toObject();
    }

    /// A data dir "source" with an upstream account, key "pi" (returned) and, @p withTraffic, two
    /// requests served by a real serve.
    QByteArray populateSource(FakeUpstream &fake, bool withTraffic = true)
    {
        configureUpstream(dir(QStringLiteral("source")), fake);
        const QByteArray key = createKey(dir(QStringLiteral("source")), QStringLiteral("pi"));
        if (!withTraffic)
            return key;
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, dir(QStringLiteral("source")));
        if (!port)
            return {};
        const bool served = post(port, key) == 200 && post(port, key) == 200;
        const bool stopped = TestSupport::stopKeygateServe(serve);
        return served && stopped ? key : QByteArray();
    }

    Run backup(const QString &file, bool withSecrets)
    {
        QStringList arguments{QStringLiteral("backup"), file};
        if (withSecrets)
            arguments.append(QStringLiteral("--with-secrets"));
        return keygate(dir(QStringLiteral("source")), arguments, Passphrase + '\n');
    }

    std::unique_ptr<QTemporaryDir> m_root;
    QNetworkAccessManager m_nam;

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at keygate");
        m_root = std::make_unique<QTemporaryDir>();
    }

    void restore_withSecretsIntoNewDir_keysAuthenticateUsageEqualTokensKept()
    {
        FakeUpstream fake;
        answerWithStream(fake);
        const QByteArray key = populateSource(fake);
        QVERIFY(!key.isEmpty());
        const QString file = dir(QStringLiteral("keygate.kgbackup"));
        const Run backedUp = keygateWithPassphraseEnv(dir(QStringLiteral("source")),
                                                      {QStringLiteral("backup"), file, QStringLiteral("--with-secrets"),
                                                       QStringLiteral("--json")},
                                                      Passphrase);
        QCOMPARE(backedUp.exitCode, 0);
        const QJsonObject written = QJsonDocument::fromJson(backedUp.out).object();
        QCOMPARE(written.value(u"with_secrets").toBool(), true);
        QCOMPARE(written.value(u"keys").toInt(), 1);
        QCOMPARE(written.value(u"accounts").toInt(), 1);
        QCOMPARE(written.value(u"secrets").toInt(), 2); // the key's plaintext and the account's token
        QCOMPARE(QFile::permissions(file) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        const QByteArray raw = readAll(file);
        QVERIFY2(!raw.contains(key) && !raw.contains(UpstreamToken), "a secret is in the file unencrypted");

        const QString target = dir(QStringLiteral("restored"));
        const Run restored = keygate(target, {QStringLiteral("restore"), file, QStringLiteral("--json")}, Passphrase + '\n');
        QVERIFY2(restored.exitCode == 0, restored.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(restored.out).object();
        QCOMPARE(report.value(u"secrets_restored").toInt(), 2);
        QVERIFY(report.value(u"replaced_copy").isNull());

        QCOMPARE(usageTotal(target), usageTotal(dir(QStringLiteral("source"))));
        QCOMPARE(usageTotal(target).value(u"request_count").toInt(), 2);
        QCOMPARE(firstAccount(target).value(u"token_stored").toBool(), true);
        QCOMPARE(keygate(target, {QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("pi")}).out.trimmed(),
                 key);
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, target);
        QVERIFY(port);
        QCOMPARE(post(port, key), 200);
        QCOMPARE(post(port, "sk-kg-not-a-key"), 401);
        QCOMPARE(fake.lastRequest().headers.value("authorization"), "Bearer " + UpstreamToken);
        QVERIFY(TestSupport::stopKeygateServe(serve));
        QCOMPARE(usageTotal(target).value(u"request_count").toInt(), 4); // the refused request is logged too
    }

    void restore_withoutSecrets_keysAuthenticateAccountsHaveNoToken()
    {
        FakeUpstream fake;
        answerWithStream(fake);
        const QByteArray key = populateSource(fake);
        QVERIFY(!key.isEmpty());
        const QString file = dir(QStringLiteral("plain.kgbackup"));
        QCOMPARE(backup(file, false).exitCode, 0);
        const QByteArray raw = readAll(file);
        QVERIFY(!raw.contains(key) && !raw.contains(UpstreamToken));

        const QString target = dir(QStringLiteral("restored"));
        const Run restored = keygate(target, {QStringLiteral("restore"), file});
        QVERIFY2(restored.exitCode == 0, restored.err.constData());
        QCOMPARE(usageTotal(target), usageTotal(dir(QStringLiteral("source"))));
        QCOMPARE(firstAccount(target).value(u"token_stored").toBool(), false);
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, target);
        QVERIFY(port);
        const int requestsBefore = fake.requestCount();
        QCOMPARE(post(port, key), 503); // authenticated, but no account can serve it
        QCOMPARE(post(port, "sk-kg-not-a-key"), 401);
        QCOMPARE(fake.requestCount(), requestsBefore);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void backup_whileServeRuns_consistentAndServeGoesOn()
    {
        FakeUpstream fake;
        answerWithStream(fake);
        configureUpstream(dir(QStringLiteral("source")), fake);
        const QByteArray key = createKey(dir(QStringLiteral("source")), QStringLiteral("pi"));
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, dir(QStringLiteral("source")));
        QVERIFY(port);
        QList<QNetworkReply *> inFlight;
        for (int i = 0; i < 30; ++i)
            inFlight.append(send(port, key));
        const QString file = dir(QStringLiteral("live.kgbackup"));
        const Run backedUp = backup(file, true); // the event loop spins meanwhile: requests go on
        QVERIFY2(backedUp.exitCode == 0, backedUp.err.constData());
        for (QNetworkReply *reply : inFlight) {
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            reply->deleteLater();
        }
        QCOMPARE(post(port, key), 200);
        QVERIFY(TestSupport::stopKeygateServe(serve));

        const QString target = dir(QStringLiteral("restored"));
        const Run restored = keygate(target, {QStringLiteral("restore"), file}, Passphrase + '\n');
        QVERIFY2(restored.exitCode == 0, restored.err.constData());
        const int count = usageTotal(target).value(u"request_count").toInt();
        QVERIFY2(count >= 0 && count <= 31, qPrintable(QString::number(count)));
        QProcess restoredServe;
        const quint16 restoredPort = TestSupport::startKeygateServe(restoredServe, target);
        QVERIFY(restoredPort);
        QCOMPARE(post(restoredPort, key), 200);
        QVERIFY(TestSupport::stopKeygateServe(restoredServe));
    }

    void restore_wrongPassphrase_failsAndChangesNothing()
    {
        FakeUpstream fake;
        answerWithStream(fake);
        QVERIFY(!populateSource(fake).isEmpty());
        const QString file = dir(QStringLiteral("keygate.kgbackup"));
        QCOMPARE(backup(file, true).exitCode, 0);

        const QString empty = dir(QStringLiteral("empty"));
        Run refused = keygate(empty, {QStringLiteral("restore"), file}, "wrong passphrase\n");
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("wrong passphrase"), refused.err.constData());
        QVERIFY(!QFileInfo::exists(empty));

        const QString source = dir(QStringLiteral("source"));
        const auto before = fingerprint(source);
        refused = keygate(source, {QStringLiteral("restore"), file, QStringLiteral("--force")}, "wrong passphrase\n");
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(fingerprint(source), before);
        QCOMPARE(QDir(m_root->path()).entryList({QStringLiteral("*.replaced-*")}, QDir::Dirs), QStringList());

        refused = keygate(empty, {QStringLiteral("restore"), file}); // no passphrase at all
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("--skip-secrets"), refused.err.constData());
        QVERIFY(!QFileInfo::exists(empty));

        // The way out for a lost passphrase: everything but the secrets.
        const Run skipped = keygate(empty, {QStringLiteral("restore"), file, QStringLiteral("--skip-secrets"),
                                            QStringLiteral("--json")});
        QVERIFY2(skipped.exitCode == 0, skipped.err.constData());
        QCOMPARE(QJsonDocument::fromJson(skipped.out).object().value(u"secrets_skipped").toBool(), true);
        QCOMPARE(QJsonDocument::fromJson(skipped.out).object().value(u"secrets_restored").toInt(), 0);
        QCOMPARE(keygate(empty, {QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("pi")}).exitCode, 1);
        QCOMPARE(usageTotal(empty), usageTotal(source));
    }

    void restore_nonEmptyDir_refusedUnlessForceWhichKeepsACopy()
    {
        FakeUpstream fake;
        answerWithStream(fake);
        const QByteArray key = populateSource(fake);
        QVERIFY(!key.isEmpty());
        const QString file = dir(QStringLiteral("keygate.kgbackup"));
        QCOMPARE(backup(file, true).exitCode, 0);

        const QString other = dir(QStringLiteral("other"));
        const QByteArray otherKey = createKey(other, QStringLiteral("other-key"));
        const auto before = fingerprint(other);
        Run run = keygate(other, {QStringLiteral("restore"), file}, Passphrase + '\n');
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("not empty") && run.err.contains("--force"), run.err.constData());
        QCOMPARE(fingerprint(other), before);

        run = keygate(other, {QStringLiteral("restore"), file, QStringLiteral("--force"), QStringLiteral("--json")},
                      Passphrase + '\n');
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString copy = QJsonDocument::fromJson(run.out).object().value(u"replaced_copy").toString();
        QVERIFY(copy.startsWith(other + QStringLiteral(".replaced-")));
        // The copy is a whole data dir: its key is there, plaintext and all.
        QCOMPARE(keygate(copy, {QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("other-key")}).out.trimmed(),
                 otherKey);
        QCOMPARE(keygate(other, {QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("pi")}).out.trimmed(), key);
        QCOMPARE(keygate(other, {QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("other-key")}).exitCode, 1);
    }

    void restore_damagedFile_refusedAndChangesNothing_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated in the header") << QStringLiteral("cut:40");
        QTest::newRow("truncated in the database") << QStringLiteral("cut:half");
        QTest::newRow("truncated in the secrets") << QStringLiteral("cut:-5");
        QTest::newRow("trailing bytes") << QStringLiteral("append");
        QTest::newRow("ciphertext byte flipped") << QStringLiteral("flip:-3");
        QTest::newRow("database byte flipped") << QStringLiteral("flip:200");
        QTest::newRow("schema version in header changed") << QStringLiteral("flip:15");
        QTest::newRow("foreign file") << QStringLiteral("foreign");
        QTest::newRow("empty file") << QStringLiteral("empty");
    }

    void restore_damagedFile_refusedAndChangesNothing()
    {
        QFETCH(QString, damage);
        FakeUpstream fake;
        QVERIFY(!populateSource(fake, false).isEmpty());
        const QString file = dir(QStringLiteral("keygate.kgbackup"));
        QCOMPARE(backup(file, true).exitCode, 0);
        QByteArray bytes = readAll(file);
        const QString where = damage.section(u':', 1);
        const qsizetype offset = where == u"half" ? bytes.size() / 2
                                 : where.startsWith(u'-') ? bytes.size() + where.toLongLong()
                                                          : where.toLongLong();
        if (damage.startsWith(u"cut"))
            bytes.truncate(offset);
        else if (damage.startsWith(u"flip"))
            bytes[offset] = char(bytes.at(offset) ^ 0x01);
        else if (damage == u"append")
            bytes.append("x");
        else if (damage == u"foreign")
            bytes = "SQLite format 3\0 but not a Keygate backup at all";
        else
            bytes.clear();
        writeAll(file, bytes);

        const QString target = dir(QStringLiteral("source"));
        const auto before = fingerprint(target);
        const Run run = keygate(target, {QStringLiteral("restore"), file, QStringLiteral("--force")}, Passphrase + '\n');
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("damaged") || run.err.contains("not a Keygate backup")
                     || run.err.contains("wrong passphrase, or the backup file was changed"),
                 run.err.constData());
        QCOMPARE(fingerprint(target), before);
        QCOMPARE(QDir(m_root->path()).entryList({QStringLiteral("*.replaced-*")}, QDir::Dirs), QStringList());
    }

    void restore_whileServeRuns_refusedAndServeGoesOn()
    {
        FakeUpstream fake;
        answerWithStream(fake);
        const QByteArray key = populateSource(fake);
        QVERIFY(!key.isEmpty());
        const QString file = dir(QStringLiteral("keygate.kgbackup"));
        QCOMPARE(backup(file, false).exitCode, 0);
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, dir(QStringLiteral("source")));
        QVERIFY(port);
        const Run run = keygate(dir(QStringLiteral("source")), {QStringLiteral("restore"), file, QStringLiteral("--force")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("serve or console is using"), run.err.constData());
        QCOMPARE(QDir(m_root->path()).entryList({QStringLiteral("*.replaced-*")}, QDir::Dirs), QStringList());
        QCOMPARE(post(port, key), 200);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void restore_keychainBackend_secretsRoundTripThroughTheKeychain()
    {
        const QStringList keychain{QStringLiteral("--secrets"), QStringLiteral("keychain")};
        const QString source = dir(QStringLiteral("source"));
        const Run created = keygate(source, keychain + QStringList{QStringLiteral("keys"), QStringLiteral("create"),
                                                                   QStringLiteral("--name"), QStringLiteral("pi")});
        QVERIFY2(created.exitCode == 0, created.err.constData());
        const QByteArray key = created.out.trimmed().split('\n').last();
        const QString file = dir(QStringLiteral("keychain.kgbackup"));
        QCOMPARE(keygate(source, keychain + QStringList{QStringLiteral("backup"), file, QStringLiteral("--with-secrets")},
                         Passphrase + '\n')
                     .exitCode,
                 0);
        // Restore over the source itself: its keychain entries move to the replaced copy's.
        const Run restored = keygate(source, keychain + QStringList{QStringLiteral("restore"), file,
                                                                    QStringLiteral("--force"), QStringLiteral("--json")},
                                     Passphrase + '\n');
        QVERIFY2(restored.exitCode == 0, restored.err.constData());
        const QString copy = QJsonDocument::fromJson(restored.out).object().value(u"replaced_copy").toString();
        const QStringList reveal{QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("pi")};
        QCOMPARE(keygate(source, keychain + reveal).out.trimmed(), key);
        QCOMPARE(keygate(copy, keychain + reveal).out.trimmed(), key);
        const QString fresh = dir(QStringLiteral("fresh"));
        QCOMPARE(keygate(fresh, keychain + QStringList{QStringLiteral("restore"), file}, Passphrase + '\n').exitCode, 0);
        QCOMPARE(keygate(fresh, keychain + reveal).out.trimmed(), key);
    }

    void commands_helpAndUsageErrors_exitCodes()
    {
        const QString any = dir(QStringLiteral("any"));
        for (const QString &command : {QStringLiteral("backup"), QStringLiteral("restore")}) {
            const Run help = keygate(any, {command, QStringLiteral("--help")});
            QCOMPARE(help.exitCode, 0);
            QVERIFY(help.out.contains(QByteArray(QByteArray("Usage: keygate ") + command.toUtf8())));
            QCOMPARE(keygate(any, {command}).exitCode, 2);
            QCOMPARE(keygate(any, {command, QStringLiteral("a"), QStringLiteral("b")}).exitCode, 2);
        }
        const Run nothing = keygate(any, {QStringLiteral("backup"), dir(QStringLiteral("x.kgbackup"))});
        QCOMPARE(nothing.exitCode, 1);
        QVERIFY2(nothing.err.contains("nothing to back up"), nothing.err.constData());
        const Run missing = keygate(any, {QStringLiteral("restore"), dir(QStringLiteral("missing.kgbackup"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(!QFileInfo::exists(any));
        QVERIFY(keygate(any, {QStringLiteral("--help")}).out.contains("backup FILE [--with-secrets]"));
    }
};

QTEST_GUILESS_MAIN(tst_Backup)
#include "tst_backup.moc"
