// SPDX-License-Identifier: MIT
// `keygate upstream …` acts on one named account, the same one `upstream show` (and the console's
// Upstream page) shows: never a "default" account created beside the one shown.
#include "tests/cli/KeygateProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using TestSupport::KeygateRun;

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

} // namespace

class tst_UpstreamCli final : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void set_onlyAccountFake_editsFakeCreatesNoDefault()
    {
        QCOMPARE(addOpenAI(s("fake"), s("https://fake.example/v1")), 0);
        const KeygateRun shown = run({s("upstream"), s("show")});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY2(shown.out.startsWith("account: fake\n"), shown.out.constData());
        QVERIFY(shown.out.contains("base_url: https://fake.example/v1\n"));

        const KeygateRun set =
            run({s("upstream"), s("set"), s("--kind"), s("openai"), s("--base-url"),
                 s("https://moved.example/v1"), s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")});
        QCOMPARE(set.exitCode, 0);
        QVERIFY2(set.out.contains("(account \"fake\")"), set.out.constData());
        const QJsonArray accounts = listAccounts();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.at(0)[s("name")].toString(), s("fake"));
        QCOMPARE(accounts.at(0)[s("base_url")].toString(), s("https://moved.example/v1"));
    }

    void setAndShow_namedAccount_actOnThatOneOnly()
    {
        QCOMPARE(addOpenAI(s("default"), s("https://default.example/v1")), 0);
        QCOMPARE(addOpenAI(s("fake"), s("https://fake.example/v1")), 0);
        QVERIFY(run({s("upstream"), s("show")}).out.startsWith("account: default\n"));

        const KeygateRun set = run({s("upstream"), s("set"), s("--account"), s("fake"), s("--kind"),
                                    s("openai"), s("--base-url"), s("https://moved.example/v1"),
                                    s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")});
        QCOMPARE(set.exitCode, 0);
        const KeygateRun fake = run({s("upstream"), s("show"), s("--account"), s("fake")});
        QVERIFY2(fake.out.startsWith("account: fake\n"), fake.out.constData());
        QVERIFY(fake.out.contains("base_url: https://moved.example/v1\n"));
        QVERIFY(run({s("upstream"), s("show")}).out.contains("base_url: https://default.example/v1\n"));
        QCOMPARE(listAccounts().size(), 2);
    }

    void set_unknownAccount_failsAndAddsNothing()
    {
        QCOMPARE(addOpenAI(s("fake"), s("https://fake.example/v1")), 0);
        const KeygateRun set =
            run({s("upstream"), s("set"), s("--account"), s("nosuch"), s("--kind"), s("openai"),
                 s("--base-url"), s("https://x.example/v1"), s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")});
        QCOMPARE(set.exitCode, 1);
        QVERIFY2(set.err.contains("nosuch"), set.err.constData());
        QCOMPARE(listAccounts().size(), 1);
        QCOMPARE(run({s("upstream"), s("show"), s("--account"), s("nosuch")}).exitCode, 1);
    }

private:
    KeygateRun run(const QStringList &arguments) { return TestSupport::runKeygate(m_dir->path(), arguments); }

    int addOpenAI(const QString &name, const QString &baseUrl)
    {
        return run({s("accounts"), s("add-openai"), s("--name"), name, s("--base-url"), baseUrl,
                    s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")})
            .exitCode;
    }

    QJsonArray listAccounts()
    {
        return QJsonDocument::fromJson(run({s("accounts"), s("list"), s("--json")}).out).array();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(tst_UpstreamCli)
#include "tst_upstreamcli.moc"
