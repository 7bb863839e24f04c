// SPDX-License-Identifier: MIT
// Drives the built keygate binary (KEYGATE_BINARY) as other tooling would: stdout is data,
// stderr messages, exit 0/1/2. Every test has its own data dir and uses --secrets file.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

const QRegularExpression KeyFormat(QStringLiteral("^sk-kg-[A-Za-z0-9_-]{43}$"));

struct Run final
{
    int exitCode = -1;
    QString out;
    QString err;
    QString lastLine() const { return out.trimmed().split(u'\n').constLast(); }
};

} // namespace

class tst_Cli final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    Run keygate(const QStringList &arguments, const QProcessEnvironment &extra = {}, const QByteArray &input = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("KEYGATE_DATA_DIR"));
        env.remove(QStringLiteral("KEYGATE_SECRETS"));
        for (const QString &key : extra.keys())
            env.insert(key, extra.value(key));
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("KEYGATE_BINARY"),
                      QStringList{QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("--secrets"),
                                  QStringLiteral("file")} +
                          arguments);
        if (!input.isNull()) {
            process.write(input);
        }
        process.closeWriteChannel();
        Run run;
        if (!process.waitForFinished(30'000))
            return run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    QString createKey(const QString &name)
    {
        const Run run = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), name});
        return run.exitCode == 0 ? run.lastLine() : QString();
    }

    QJsonArray listJson()
    {
        const Run run = keygate({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(run.out.toUtf8()).array();
    }

private slots:
    void initTestCase() { QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY not set"); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>(); // a fresh data dir per test
        QVERIFY(m_dir->isValid());
    }

    void version_printsName()
    {
        const Run run = keygate({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QStringLiteral("keygate 0.1.0"));
        QCOMPARE(keygate({QStringLiteral("--help")}).exitCode, 0);
    }

    void keysCreate_lastLineIsPlaintextKey()
    {
        const Run run = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                 QStringLiteral("laptop"), QStringLiteral("--note"), QStringLiteral("pi")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(KeyFormat.match(run.lastLine()).hasMatch(), qPrintable(run.out));
        QCOMPARE(run.out.count(run.lastLine()), 1); // printed only there
        QVERIFY(!run.err.contains(run.lastLine()));
    }

    void keysList_json_parsesWithExpectedFields()
    {
        const QString key = createKey(QStringLiteral("a"));
        QVERIFY(!key.isEmpty());
        const QJsonArray keys = listJson();
        QCOMPARE(keys.size(), 1);
        const QJsonObject object = keys.at(0).toObject();
        for (const char *field : {"id", "name", "masked_key", "created_at", "expires_at", "enabled", "last_used_at", "note"})
            QVERIFY2(object.contains(QLatin1String(field)), field);
        QCOMPARE(object.value(QStringLiteral("name")).toString(), QStringLiteral("a"));
        QCOMPARE(object.value(QStringLiteral("masked_key")).toString(), QStringLiteral("sk-kg-") + QChar(0x2026) + key.right(4));
        QVERIFY(object.value(QStringLiteral("enabled")).toBool());
        QVERIFY(object.value(QStringLiteral("expires_at")).isNull());
        const Run table = keygate({QStringLiteral("keys"), QStringLiteral("list")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(!table.out.contains(key));
    }

    void keys_disableEnableRegenerateRevealDelete_roundTrip()
    {
        const QString key = createKey(QStringLiteral("cycle"));
        QVERIFY(!key.isEmpty());
        QCOMPARE(keygate({QStringLiteral("keys"), QStringLiteral("disable"), QStringLiteral("cycle")}).exitCode, 0);
        QVERIFY(!listJson().at(0).toObject().value(QStringLiteral("enabled")).toBool());
        QCOMPARE(keygate({QStringLiteral("keys"), QStringLiteral("enable"), QStringLiteral("1")}).exitCode, 0);
        QVERIFY(listJson().at(0).toObject().value(QStringLiteral("enabled")).toBool());

        Run reveal = keygate({QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("cycle")});
        QCOMPARE(reveal.exitCode, 0);
        QCOMPARE(reveal.lastLine(), key);

        const Run regenerate = keygate({QStringLiteral("keys"), QStringLiteral("regenerate"), QStringLiteral("cycle")});
        QCOMPARE(regenerate.exitCode, 0);
        const QString newKey = regenerate.lastLine();
        QVERIFY(KeyFormat.match(newKey).hasMatch());
        QVERIFY(newKey != key);
        reveal = keygate({QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("1")});
        QCOMPARE(reveal.lastLine(), newKey);

        QCOMPARE(keygate({QStringLiteral("keys"), QStringLiteral("delete"), QStringLiteral("cycle")}).exitCode, 0);
        QCOMPARE(listJson().size(), 0);
        const Run missing = keygate({QStringLiteral("keys"), QStringLiteral("reveal"), QStringLiteral("cycle")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.startsWith(QLatin1String("keygate: error: ")));
    }

    void keysCreate_duplicateOrPastExpiry_exitsOne()
    {
        QVERIFY(!createKey(QStringLiteral("dup")).isEmpty());
        QCOMPARE(keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("dup")}).exitCode, 1);
        const Run past = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                  QStringLiteral("old"), QStringLiteral("--expires"), QStringLiteral("2001-01-01T00:00:00Z")});
        QCOMPARE(past.exitCode, 1);
        QVERIFY(past.out.isEmpty());
        const Run future = keygate({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                    QStringLiteral("new"), QStringLiteral("--expires"), QStringLiteral("2999-01-01T00:00:00Z")});
        QCOMPARE(future.exitCode, 0);
        QCOMPARE(listJson().at(1).toObject().value(QStringLiteral("expires_at")).toString(), QStringLiteral("2999-01-01T00:00:00Z"));
    }

    void upstreamSet_tokenEnv_showNeverPrintsToken()
    {
        const QString token = QStringLiteral("sk-upstream-very-secret-0123456789");
        QProcessEnvironment env;
        env.insert(QStringLiteral("KG_TEST_TOKEN"), token);
        const Run set = keygate({QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"), QStringLiteral("openai"),
                                 QStringLiteral("--base-url"), QStringLiteral("https://api.openai.com/v1"),
                                 QStringLiteral("--token-env"), QStringLiteral("KG_TEST_TOKEN")},
                                env);
        QCOMPARE(set.exitCode, 0);
        QVERIFY(!set.out.contains(token) && !set.err.contains(token));
        const Run show = keygate({QStringLiteral("upstream"), QStringLiteral("show")});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains(QLatin1String("kind: openai")));
        QVERIFY(show.out.contains(QLatin1String("token: stored")));
        QVERIFY(!show.out.contains(token) && !show.err.contains(token));
    }

    void upstreamSet_tokenStdin_isStored()
    {
        const Run set = keygate({QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"), QStringLiteral("codex"),
                                 QStringLiteral("--base-url"), QStringLiteral("https://chatgpt.com/backend-api"),
                                 QStringLiteral("--account-id"), QStringLiteral("acct"), QStringLiteral("--token-stdin")},
                                {}, QByteArray("tok-from-stdin\n"));
        QCOMPARE(set.exitCode, 0);
        const Run show = keygate({QStringLiteral("upstream"), QStringLiteral("show")});
        QVERIFY(show.out.contains(QLatin1String("account_id: acct")));
        QVERIFY(show.out.contains(QLatin1String("token: stored")));
    }

    void upstreamShow_nothingSet_saysMissing()
    {
        const Run show = keygate({QStringLiteral("upstream"), QStringLiteral("show")});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains(QLatin1String("token: missing")));
    }

    void settings_setThenShow_roundTrips()
    {
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("show")}).out,
                 QStringLiteral("require-key: true\nlisten: 127.0.0.1:2455\nmax-body-mib: 32\n"
                                "auth-retention-days: 30\nstart-minimized: false\nrouting: round-robin\n"
                                "allowed-origins:\nauth-failure-budget: 30\nx-api-key-fallback: always\nmetrics-access: loopback\n"
                                "request-log-retention-days: 90\n"));
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("require-key"), QStringLiteral("false")}).exitCode, 0);
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("listen"), QStringLiteral("127.0.0.1:3000")}).exitCode, 0);
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("show")}).out,
                 QStringLiteral("require-key: false\nlisten: 127.0.0.1:3000\nmax-body-mib: 32\n"
                                "auth-retention-days: 30\nstart-minimized: false\nrouting: round-robin\n"
                                "allowed-origins:\nauth-failure-budget: 30\nx-api-key-fallback: always\nmetrics-access: loopback\n"
                                "request-log-retention-days: 90\n"));
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("listen"), QStringLiteral("nohost")}).exitCode, 2);
    }

    void settings_newNames_setAndShow()
    {
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("max-body-mib"), QStringLiteral("64")}).exitCode, 0);
        QCOMPARE(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("auth-retention-days"), QStringLiteral("7")}).exitCode, 0);
        const Run set = keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("start-minimized"), QStringLiteral("on")});
        QCOMPARE(set.exitCode, 0);
        QCOMPARE(set.out, QStringLiteral("require-key: true\nlisten: 127.0.0.1:2455\nmax-body-mib: 64\n"
                                         "auth-retention-days: 7\nstart-minimized: true\nrouting: round-robin\n"
                                         "allowed-origins:\nauth-failure-budget: 30\nx-api-key-fallback: always\nmetrics-access: loopback\n"
                                         "request-log-retention-days: 90\n"));
        QVERIFY(keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("routing"), QStringLiteral("fill-first")})
                    .out.contains(QLatin1String("\nrouting: fill-first\n")));
        const Run bad = keygate({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("max-body-mib"), QStringLiteral("0")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QLatin1String("max-body-mib: expected a whole number from 1 to 1024")), qPrintable(bad.err));
        QVERIFY(keygate({QStringLiteral("settings"), QStringLiteral("show")}).out.contains(QLatin1String("max-body-mib: 64\n")));
    }

    void usage_json_emptyDatabase_isZeros()
    {
        Run run = keygate({QStringLiteral("usage"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QJsonObject document = QJsonDocument::fromJson(run.out.toUtf8()).object();
        const QJsonObject total = document.value(QStringLiteral("total")).toObject();
        for (const char *field : {"request_count", "total_tokens", "input_tokens", "cached_input_tokens", "output_tokens",
                                  "reasoning_tokens", "total_cost_usd"}) {
            QVERIFY2(total.contains(QLatin1String(field)), field);
            QCOMPARE(total.value(QLatin1String(field)).toDouble(), 0.0);
        }
        QVERIFY(!createKey(QStringLiteral("u")).isEmpty());
        run = keygate({QStringLiteral("usage"), QStringLiteral("--json")});
        document = QJsonDocument::fromJson(run.out.toUtf8()).object();
        const QJsonObject key = document.value(QStringLiteral("keys")).toArray().at(0).toObject();
        QCOMPARE(key.value(QStringLiteral("request_count")).toInt(-1), 0);
        QCOMPARE(key.value(QStringLiteral("key")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("u"));
        QVERIFY(key.value(QStringLiteral("key")).toObject().value(QStringLiteral("prefix")).toString().startsWith(QLatin1String("sk-kg-")));
    }

    void accounts_addListPauseSetTokenRemove()
    {
        const auto s = [](const char *text) { return QString::fromLatin1(text); };
        QProcessEnvironment env;
        env.insert(s("KG_ACCOUNT_KEY"), s("sk-openai-cli-secret"));
        const Run added = keygate({s("accounts"), s("add-openai"), s("--name"), s("work"), s("--base-url"),
                                   s("https://api.example.com/v1"), s("--token-env"), s("KG_ACCOUNT_KEY")}, env);
        QCOMPARE(added.exitCode, 0);
        QVERIFY(added.out.contains(u"added account 1 \"work\""));
        QCOMPARE(keygate({s("accounts"), s("pause"), s("work")}).exitCode, 0);
        const Run listed = keygate({s("accounts"), s("list"), s("--json")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(!listed.out.contains(u"sk-openai-cli-secret"));
        const QJsonArray accounts = QJsonDocument::fromJson(listed.out.toUtf8()).array();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.at(0)[s("state")].toString(), s("paused"));
        QCOMPARE(accounts.at(0)[s("token_stored")].toBool(), true);
        QCOMPARE(accounts.at(0)[s("kind")].toString(), s("openai"));
        QCOMPARE(keygate({s("accounts"), s("resume"), s("1")}).exitCode, 0);
        const Run token = keygate({s("accounts"), s("set-token"), s("work"), s("--token-stdin")}, {}, "sk-new-key\n");
        QCOMPARE(token.exitCode, 0);
        QVERIFY(token.out.contains(u": active"));
        const Run table = keygate({s("accounts"), s("list")});
        QVERIFY(table.out.contains(u"api.example.com"));
        QVERIFY(table.out.contains(u"stored"));
        QCOMPARE(keygate({s("accounts"), s("remove"), s("work")}).exitCode, 0);
        const Run gone = keygate({s("accounts"), s("remove"), s("work")});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains(u"no account named \"work\""));
    }

    void accounts_importCodexAuth()
    {
        const auto s = [](const char *text) { return QString::fromLatin1(text); };
        const QString path = m_dir->filePath(s("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"tokens\":{\"access_token\":\"at-cli\",\"refresh_token\":\"rt-cli\",\"account_id\":\"acct-cli\"}}");
        file.close();
        const Run imported = keygate({s("accounts"), s("import"), path, s("--name"), s("laptop")});
        QCOMPARE(imported.exitCode, 0);
        QVERIFY(imported.out.contains(u"imported account 1 \"laptop\" (chatgpt"));
        const QJsonArray accounts = QJsonDocument::fromJson(keygate({s("accounts"), s("list"), s("--json")}).out.toUtf8()).array();
        QCOMPARE(accounts.at(0)[s("refresh_token_stored")].toBool(), true);
        QCOMPARE(accounts.at(0)[s("base_url")].toString(), s("https://chatgpt.com/backend-api"));
    }

    void accounts_importWithBaseUrl_usesThatBackend()
    {
        const auto s = [](const char *text) { return QString::fromLatin1(text); };
        // An access token that expires in 2100, so nothing would refresh it, with the account id claim.
        const QByteArray claims = R"({"exp":4102444800,"https://api.openai.com/auth":{"chatgpt_account_id":"acct-fake"}})";
        const QByteArray jwt = "eyJhbGciOiJub25lIn0." +
                               claims.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + ".sig";
        const QString path = m_dir->filePath(s("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"tokens":{"access_token":")" + jwt + R"(","id_token":")" + jwt + R"(","refresh_token":"rt"}})");
        file.close();
        const QString fake = s("http://127.0.0.1:9/backend-api");
        const Run imported = keygate({s("accounts"), s("import"), path, s("--name"), s("fake"), s("--base-url"), fake});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY(imported.out.contains(u"imported account 1 \"fake\" (chatgpt, 127.0.0.1)"));
        const auto account = [&] {
            return QJsonDocument::fromJson(keygate({s("accounts"), s("list"), s("--json")}).out.toUtf8()).array().at(0);
        };
        QCOMPARE(account()[s("base_url")].toString(), fake);
        QCOMPARE(account()[s("kind")].toString(), s("chatgpt"));
        QCOMPARE(account()[s("refresh_token_stored")].toBool(), true);
        // The same login (same chatgpt_account_id) imported again without --base-url keeps the backend.
        QCOMPARE(keygate({s("accounts"), s("import"), path}).exitCode, 0);
        QCOMPARE(account()[s("base_url")].toString(), fake);

        const Run bad = keygate({s("accounts"), s("import"), path, s("--base-url"), s("ftp://127.0.0.1/x")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"--base-url must be an http(s) URL"), qPrintable(bad.err));
        QCOMPARE(QJsonDocument::fromJson(keygate({s("accounts"), s("list"), s("--json")}).out.toUtf8()).array().size(), 1);
    }

    void badArguments_exitTwoWithMessage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
        QTest::newRow("unknown accounts action") << QStringList{QStringLiteral("accounts"), QStringLiteral("explode")};
        QTest::newRow("add-openai without base url")
            << QStringList{QStringLiteral("accounts"), QStringLiteral("add-openai"), QStringLiteral("--token-env"), QStringLiteral("X")};
        QTest::newRow("unknown action") << QStringList{QStringLiteral("keys"), QStringLiteral("explode")};
        QTest::newRow("missing name") << QStringList{QStringLiteral("keys"), QStringLiteral("create")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--yaml")};
        QTest::newRow("bad expiry") << QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"),
                                                   QStringLiteral("x"), QStringLiteral("--expires"), QStringLiteral("tomorrow")};
        QTest::newRow("reveal without id") << QStringList{QStringLiteral("keys"), QStringLiteral("reveal")};
        QTest::newRow("no token source") << QStringList{QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"),
                                                        QStringLiteral("openai"), QStringLiteral("--base-url"), QStringLiteral("https://a.b")};
        QTest::newRow("bad kind") << QStringList{QStringLiteral("upstream"), QStringLiteral("set"), QStringLiteral("--kind"),
                                                 QStringLiteral("azure"), QStringLiteral("--base-url"), QStringLiteral("https://a.b"),
                                                 QStringLiteral("--token-stdin")};
        QTest::newRow("bad bool") << QStringList{QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("require-key"), QStringLiteral("maybe")};
        QTest::newRow("bad retention") << QStringList{QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("auth-retention-days"), QStringLiteral("3651")};
        QTest::newRow("log retention below 31") << QStringList{QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("request-log-retention-days"), QStringLiteral("30")};
        QTest::newRow("bad minimized") << QStringList{QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("start-minimized"), QStringLiteral("maybe")};
        QTest::newRow("bad secrets") << QStringList{QStringLiteral("--secrets"), QStringLiteral("vault"), QStringLiteral("usage")};
    }
    void badArguments_exitTwoWithMessage()
    {
        QFETCH(QStringList, arguments);
        const Run run = keygate(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.startsWith(QLatin1String("keygate: error: ")), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
