// SPDX-License-Identifier: MIT
// `keygate keys reset-usage` driven through the built binary (KEYGATE_BINARY), and end to end: a key
// at its limit is refused by a real `keygate serve`, reset from the CLI in another process, and served
// again within a second; the proxy offers no way to reset; requests in flight stay in the history.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/FakeUpstream.h"

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

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

struct Run final
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class tst_ResetUsageCli final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QNetworkAccessManager m_nam;

    Run keygate(const QStringList &arguments)
    {
        const TestSupport::KeygateRun run = TestSupport::runKeygate(m_dir->path(), arguments);
        return {run.exitCode, QString::fromUtf8(run.out), QString::fromUtf8(run.err)};
    }

    QByteArray createKey(const QString &name)
    {
        const Run run = keygate({s("keys"), s("create"), s("--name"), name});
        return run.exitCode == 0 ? run.out.trimmed().split(u'\n').constLast().toUtf8() : QByteArray();
    }

    QJsonArray limits(const QString &key)
    {
        const Run run = keygate({s("keys"), s("limit"), key, s("list"), s("--json")});
        return QJsonDocument::fromJson(run.out.toUtf8()).array();
    }

    bool addLimit(const QString &key, const char *type, const char *window, const char *max)
    {
        return keygate({s("keys"), s("limit"), key, s("add"), s("--type"), s(type), s("--window"), s(window),
                        s("--max"), s(max)})
                   .exitCode == 0;
    }

    void configureUpstream(const FakeUpstream &fake)
    {
        QCOMPARE(keygate({s("upstream"), s("set"), s("--kind"), s("openai"), s("--base-url"), fake.baseUrl().toString(),
                          s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")})
                     .exitCode,
                 0);
    }

    QNetworkReply *send(quint16 port, const QByteArray &key, const QByteArray &verb = "POST",
                        const QString &path = s("/v1/responses"))
    {
        QNetworkRequest request(QUrl(s("http://127.0.0.1:%1").arg(port) + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, s("application/json"));
        request.setRawHeader("Authorization", "Bearer " + key);
        return m_nam.sendCustomRequest(request, verb, QByteArrayLiteral("{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[]}"));
    }

    int status(QNetworkReply *reply)
    {
        if (!reply->isFinished())
            QSignalSpy(reply, &QNetworkReply::finished).wait(10000);
        const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return code;
    }

    int post(quint16 port, const QByteArray &key) { return status(send(port, key)); }


private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void help_describesResetUsage()
    {
        const Run help = keygate({s("keys"), s("reset-usage"), s("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith(s("Usage: keygate keys reset-usage")) && help.out.contains(u"--limit <LIMIT_ID>") &&
                     help.out.contains(u"--json") && help.out.contains(u"request log") &&
                     help.out.contains(u"ID_OR_NAME"),
                 qPrintable(help.out));
        QVERIFY(keygate({s("keys"), s("--help")}).out.contains(u"keys reset-usage ID_OR_NAME [--limit LIMIT_ID]"));
        QVERIFY(keygate({s("--help")}).out.contains(u"keys reset-usage ID_OR_NAME [--limit LIMIT_ID] [--json]"));
    }

    void resetUsage_allOrOneLimit_jsonAndText()
    {
        QVERIFY(!createKey(s("ci")).isEmpty());
        QVERIFY(addLimit(s("ci"), "tokens", "day", "1000"));
        QVERIFY(addLimit(s("ci"), "cost", "month", "2.50"));
        QVERIFY(limits(s("ci")).at(0)[u"counted_from"].isNull()); // never reset

        const Run one = keygate({s("keys"), s("reset-usage"), s("ci"), s("--limit"), s("2"), s("--json")});
        QCOMPARE(one.exitCode, 0);
        const QJsonObject reset = QJsonDocument::fromJson(one.out.toUtf8()).object();
        QCOMPARE(reset.keys(), (QStringList{s("by"), s("counted_from"), s("key_id"), s("key_name"), s("limits")}));
        QCOMPARE(reset[u"key_id"].toInteger(), 1);
        QCOMPARE(reset[u"key_name"].toString(), s("ci"));
        QVERIFY(!reset[u"by"].toString().isEmpty());
        const QDateTime at = QDateTime::fromString(reset[u"counted_from"].toString(), Qt::ISODate);
        QVERIFY(qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        const QJsonArray resetLimits = reset[u"limits"].toArray();
        QCOMPARE(resetLimits.size(), 1);
        QCOMPARE(resetLimits.at(0)[u"id"].toInteger(), 2);
        QCOMPARE(resetLimits.at(0)[u"counted_from"], reset[u"counted_from"]);
        QCOMPARE(resetLimits.at(0)[u"current_value"].toInteger(), 0);
        // The 30-day window restarts at the reset's hour.
        const qint64 hour = at.toSecsSinceEpoch() / 3600 * 3600;
        QCOMPARE(QDateTime::fromString(resetLimits.at(0)[u"reset_at"].toString(), Qt::ISODate),
                 QDateTime::fromSecsSinceEpoch(hour + 30 * 24 * 3600, Qt::UTC));
        QVERIFY(limits(s("ci")).at(0)[u"counted_from"].isNull()); // only --limit 2 was reset
        QCOMPARE(limits(s("ci")).at(1)[u"counted_from"], reset[u"counted_from"]);

        const Run all = keygate({s("keys"), s("reset-usage"), s("1")});
        QCOMPARE(all.exitCode, 0);
        QVERIFY2(all.err.isEmpty(), qPrintable(all.err));
        const QStringList lines = all.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines.at(0).startsWith(s("reset the usage of key 1 \"ci\" at ")) &&
                     lines.at(0).endsWith(s("; the request log keeps its history")),
                 qPrintable(lines.at(0)));
        QVERIFY2(lines.at(1).startsWith(s("  limit 1 tokens/day: 0 / 1,000 tokens, resets ")), qPrintable(lines.at(1)));
        QVERIFY2(lines.at(2).startsWith(s("  limit 2 cost/month: $0.00 / $2.50, resets ")), qPrintable(lines.at(2)));
        QVERIFY(!limits(s("ci")).at(0)[u"counted_from"].isNull());
    }

    void resetUsage_badInput_clearErrorExitCodeNothingChanged_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QStringList reset{s("keys"), s("reset-usage")};
        QTest::newRow("unknown key") << reset + QStringList{s("nobody")} << 1 << s("no key with id or name \"nobody\"");
        QTest::newRow("unknown limit") << reset + QStringList{s("ci"), s("--limit"), s("99")} << 1
                                       << s("the key has no limit with id 99");
        QTest::newRow("another key's limit") << reset + QStringList{s("ci"), s("--limit"), s("2")} << 1
                                             << s("the key has no limit with id 2");
        QTest::newRow("key without limits") << reset + QStringList{s("other")} << 1
                                            << s("key 2 \"other\" has no limits: there is no usage to reset");
        QTest::newRow("limit not a number") << reset + QStringList{s("ci"), s("--limit"), s("tokens")} << 2
                                            << s("--limit: not a limit id: \"tokens\"");
        QTest::newRow("no key") << reset << 2 << s("missing argument");
        QTest::newRow("two keys") << reset + QStringList{s("ci"), s("other")} << 2 << s("unexpected argument \"other\"");
    }
    void resetUsage_badInput_clearErrorExitCodeNothingChanged()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QVERIFY(!createKey(s("ci")).isEmpty());
        QVERIFY(!createKey(s("other")).isEmpty());
        QVERIFY(addLimit(s("ci"), "tokens", "day", "1000"));
        if (QByteArray(QTest::currentDataTag()) == "another key's limit")
            QVERIFY(addLimit(s("other"), "tokens", "day", "1000")); // limit 2 belongs to "other"
        const Run run = keygate(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.split(u'\n').constFirst().startsWith(s("keygate: error: ") + message), qPrintable(run.err));
        QVERIFY(limits(s("ci")).at(0)[u"counted_from"].isNull());
        QVERIFY(keygate({s("keys"), s("limit"), s("other"), s("list"), s("--json")}).out.contains(u"\"counted_from\": null") ||
                limits(s("other")).isEmpty());
    }

    void serve_keyAtItsLimit_resetFromCli_acceptedWithin1s()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {300, 0, 40, 0, 340})));
        configureUpstream(fake);
        const QByteArray key = createKey(s("ci"));
        QVERIFY(addLimit(s("ci"), "tokens", "day", "100"));
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);
        QCOMPARE(post(port, key), 200); // 340 of 100 tokens used
        QCOMPARE(post(port, key), 429);
        QCOMPARE(fake.requestCount(), 1);

        QCOMPARE(keygate({s("keys"), s("reset-usage"), s("ci")}).exitCode, 0);
        // Posts until one is served, and not again: a served request uses up the new window.
        bool served = false;
        QTRY_VERIFY_WITH_TIMEOUT(served || (served = post(port, key) == 200), 1000);
        QCOMPARE(post(port, key), 429); // the new window counts what came after the reset
        QCOMPARE(fake.requestCount(), 2);
        // The reset is in serve's auth trace, and the history keeps both requests.
        QByteArray trace;
        QTRY_VERIFY_WITH_TIMEOUT((trace += serve.readAllStandardError()).contains(" reset: \"ci\" \u2192 usage reset: tokens/day (limit 1)"),
                                 5000);
        QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(keygate({s("usage"), s("--json")}).out.toUtf8())
                                      .object()[u"keys"][0][u"total_tokens"].toInteger(),
                                  680, 5000);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }

    void serve_noResetOverTheProxy_inFlightRequestsKeptInHistory()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a"), s("b"), s("c")}, {300, 0, 40, 0, 340}), 400));
        configureUpstream(fake);
        const QByteArray key = createKey(s("ci"));
        QVERIFY(addLimit(s("ci"), "tokens", "day", "5000"));
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port);

        // A key holder cannot reset its own usage through the proxy, whatever it tries.
        const QList<QPair<QByteArray, QString>> attempts = {
            {"POST", s("/v1/usage/reset")},       {"DELETE", s("/v1/usage")},         {"POST", s("/v1/usage")},
            {"POST", s("/v1/keys/1/reset-usage")}, {"POST", s("/keys/reset-usage")}, {"PUT", s("/v1/usage")}};
        for (const auto &[verb, path] : attempts) {
            const int code = status(send(port, key, verb, path));
            QVERIFY2(code == 404 || code == 405, qPrintable(s("%1 %2 → %3").arg(QString::fromLatin1(verb), path).arg(code)));
        }
        QVERIFY(limits(s("ci")).at(0)[u"counted_from"].isNull());

        // Three streams in flight while the usage is reset: all complete and stay in the history.
        QList<QNetworkReply *> inFlight;
        for (int i = 0; i < 3; ++i)
            inFlight.append(send(port, key));
        QTRY_COMPARE_WITH_TIMEOUT(fake.requestCount(), 3, 5000);
        QCOMPARE(keygate({s("keys"), s("reset-usage"), s("ci")}).exitCode, 0);
        for (QNetworkReply *reply : std::as_const(inFlight))
            QCOMPARE(status(reply), 200);
        QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(keygate({s("usage"), s("--json")}).out.toUtf8())
                                      .object()[u"keys"][0][u"request_count"].toInteger(),
                                  3, 5000);
        // They arrived before the reset but were still running: they count in the new window.
        QCOMPARE(limits(s("ci")).at(0)[u"current_value"].toInteger(), 3 * 340);
        QVERIFY(TestSupport::stopKeygateServe(serve));
    }
};

QTEST_GUILESS_MAIN(tst_ResetUsageCli)
#include "tst_resetusagecli.moc"
