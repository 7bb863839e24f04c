// SPDX-License-Identifier: MIT
// `keygate keys limit|models|efforts` driven through the built binary (KEYGATE_BINARY), and end to
// end: a policy changed from the CLI while `keygate serve` runs is enforced against a FakeUpstream.
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

#include <csignal>

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

struct Reply final
{
    int status = 0;
    QJsonObject error;      ///< the "error" object of the body
    QByteArray retryAfter;
};

} // namespace

class tst_KeyPolicyCli final : public QObject
{
    Q_OBJECT

private:
    QString m_binary = qEnvironmentVariable("KEYGATE_BINARY");
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

    QJsonArray json(const QStringList &arguments)
    {
        const Run run = keygate(arguments);
        return run.exitCode == 0 ? QJsonDocument::fromJson(run.out.toUtf8()).array() : QJsonArray();
    }

    QJsonObject firstKey() { return json({s("keys"), s("list"), s("--json")}).at(0).toObject(); }

    quint16 startServe(QProcess &serve) { return TestSupport::startKeygateServe(serve, m_dir->path()); }

    void stop(QProcess &serve)
    {
        ::kill(pid_t(serve.processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 15000);
        QCOMPARE(serve.exitCode(), 0);
    }

    Reply post(quint16 port, const QByteArray &key, const QByteArray &body)
    {
        QNetworkRequest request(QUrl(s("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, s("application/json"));
        request.setRawHeader("Authorization", "Bearer " + key);
        QNetworkReply *reply = m_nam.post(request, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.retryAfter = reply->rawHeader("Retry-After");
        result.error = QJsonDocument::fromJson(reply->readAll()).object().value(u"error").toObject();
        reply->deleteLater();
        return result;
    }

    void configureUpstream(const FakeUpstream &fake)
    {
        QCOMPARE(keygate({s("upstream"), s("set"), s("--kind"), s("openai"), s("--base-url"), fake.baseUrl().toString(),
                          s("--token-env"), s("KG_TEST_UPSTREAM_TOKEN")})
                     .exitCode,
                 0);
    }

    static QByteArray body(const char *model, const char *effort = nullptr)
    {
        QJsonObject object{{s("model"), s(model)}, {s("stream"), true}, {s("input"), QJsonArray()}};
        if (effort)
            object.insert(s("reasoning"), QJsonObject{{s("effort"), s(effort)}});
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    }

private slots:
    void init()
    {
        QVERIFY2(QFileInfo::exists(m_binary), "KEYGATE_BINARY must point at the built keygate");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void limit_addListRemove_jsonHasCodexLbFields()
    {
        QVERIFY(!createKey(s("ci")).isEmpty());
        const Run tokens = keygate({s("keys"), s("limit"), s("ci"), s("add"), s("--type"), s("tokens"), s("--window"),
                                    s("day"), s("--max"), s("1,000")});
        QCOMPARE(tokens.exitCode, 0);
        QCOMPARE(tokens.out, s("added limit 1 to key 1 \"ci\": 1,000 tokens per day for all models\n"));
        const Run cost = keygate({s("keys"), s("limit"), s("1"), s("add"), s("--type"), s("cost"), s("--window"),
                                  s("month"), s("--max"), s("2.50"), s("--model"), s("gpt-5.4")});
        QCOMPARE(cost.exitCode, 0);
        QCOMPARE(cost.out, s("added limit 2 to key 1 \"ci\": $2.50 per month for gpt-5.4\n"));

        const QJsonArray limits = json({s("keys"), s("limit"), s("ci"), s("list"), s("--json")});
        QCOMPARE(limits.size(), 2);
        const QJsonObject first = limits.at(0).toObject();
        QCOMPARE(first.keys(), (QStringList{s("counted_from"), s("current_value"), s("id"), s("limit_type"),
                                            s("limit_window"), s("max_value"), s("model_filter"), s("remaining_value"),
                                            s("reset_at")}));
        QVERIFY(first.value(u"counted_from").isNull()); // never reset (keys reset-usage)
        QCOMPARE(first.value(u"id").toInteger(), 1);
        QCOMPARE(first.value(u"limit_type").toString(), s("total_tokens"));
        QCOMPARE(first.value(u"limit_window").toString(), s("daily"));
        QCOMPARE(first.value(u"max_value").toInteger(), 1000);
        QCOMPARE(first.value(u"current_value").toInteger(), 0);
        QCOMPARE(first.value(u"remaining_value").toInteger(), 1000);
        QVERIFY(first.value(u"model_filter").isNull());
        const QString resetAt = first.value(u"reset_at").toString();
        QVERIFY2(resetAt.endsWith(u'Z'), qPrintable(resetAt));
        const QDateTime reset = QDateTime::fromString(resetAt, Qt::ISODate);
        QVERIFY(reset > QDateTime::currentDateTimeUtc() && reset <= QDateTime::currentDateTimeUtc().addDays(1));
        const QJsonObject second = limits.at(1).toObject();
        QCOMPARE(second.value(u"limit_type").toString(), s("cost_usd"));
        QCOMPARE(second.value(u"limit_window").toString(), s("monthly"));
        QCOMPARE(second.value(u"max_value").toInteger(), 2'500'000); // micro-dollars, as codex-lb
        QCOMPARE(second.value(u"model_filter").toString(), s("gpt-5.4"));

        const Run table = keygate({s("keys"), s("limit"), s("ci"), s("list")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains(u"all models") && table.out.contains(u"0 / 1,000 tokens") &&
                     table.out.contains(u"$0.00 / $2.50") && table.out.contains(resetAt + s(" in ")),
                 qPrintable(table.out));

        // keys list shows the policy too.
        const QJsonObject key = firstKey();
        QCOMPARE(key.value(u"limits").toArray().size(), 2);
        QCOMPARE(key.value(u"limits").toArray().at(0).toObject(), first);
        QCOMPARE(key.value(u"allowed_models").toArray(), QJsonArray());
        QVERIFY2(keygate({s("keys"), s("list")}).out.contains(u"tokens/day 0%; cost/month:gpt-5.4 0%"),
                 "keys list has no POLICY cell");

        const Run removed = keygate({s("keys"), s("limit"), s("ci"), s("remove"), s("1")});
        QCOMPARE(removed.exitCode, 0);
        QCOMPARE(removed.out, s("removed limit 1 from key 1 \"ci\"\n"));
        QCOMPARE(json({s("keys"), s("limit"), s("ci"), s("list"), s("--json")}).size(), 1);
        const Run again = keygate({s("keys"), s("limit"), s("ci"), s("remove"), s("1")});
        QCOMPARE(again.exitCode, 1);
        QCOMPARE(again.err, s("keygate: error: the key has no limit with id 1\n"));
    }

    void limit_duplicateOrUnknownKey_exitsOne()
    {
        QVERIFY(!createKey(s("ci")).isEmpty());
        const QStringList add{s("keys"), s("limit"), s("ci"), s("add"), s("--type"), s("input"), s("--window"), s("5h"),
                              s("--max"), s("10")};
        QCOMPARE(keygate(add).exitCode, 0);
        const Run duplicate = keygate(add);
        QCOMPARE(duplicate.exitCode, 1);
        QVERIFY2(duplicate.err.startsWith(u"keygate: error: the key already has a input/5h limit (id 1)"),
                 qPrintable(duplicate.err));
        QVERIFY(duplicate.out.isEmpty());
        const Run unknown = keygate({s("keys"), s("limit"), s("nobody"), s("list")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.startsWith(u"keygate: error: "));
        QCOMPARE(keygate({s("keys"), s("models"), s("nobody"), s("--clear")}).exitCode, 1);
    }

    void modelsAndEfforts_allowThenClear()
    {
        QVERIFY(!createKey(s("ci")).isEmpty());
        const Run models = keygate({s("keys"), s("models"), s("ci"), s("--allow"), s("gpt-5.4, o3,gpt-5.4")});
        QCOMPARE(models.exitCode, 0);
        QCOMPARE(models.out, s("key 1 \"ci\": models allowed: gpt-5.4,o3\n"));
        const Run efforts = keygate({s("keys"), s("efforts"), s("1"), s("--allow"), s("low,medium")});
        QCOMPARE(efforts.exitCode, 0);
        QCOMPARE(efforts.out, s("key 1 \"ci\": efforts allowed: low,medium\n"));
        QJsonObject key = firstKey();
        QCOMPARE(key.value(u"allowed_models").toArray(), (QJsonArray{s("gpt-5.4"), s("o3")}));
        QCOMPARE(key.value(u"allowed_efforts").toArray(), (QJsonArray{s("low"), s("medium")}));
        QVERIFY(keygate({s("keys"), s("list")}).out.contains(u"models gpt-5.4,o3; efforts low,medium"));

        QCOMPARE(keygate({s("keys"), s("models"), s("ci"), s("--clear")}).out, s("key 1 \"ci\": every model allowed\n"));
        QCOMPARE(keygate({s("keys"), s("efforts"), s("ci"), s("--clear")}).out, s("key 1 \"ci\": every effort allowed\n"));
        key = firstKey();
        QCOMPARE(key.value(u"allowed_models").toArray(), QJsonArray());
        QCOMPARE(key.value(u"allowed_efforts").toArray(), QJsonArray());
    }

    void help_describesEveryPolicyCommand()
    {
        const Run limit = keygate({s("keys"), s("limit"), s("--help")});
        QCOMPARE(limit.exitCode, 0);
        QVERIFY(limit.out.contains(u"keygate keys limit ID_OR_NAME add --type tokens|input|output|cost"));
        QVERIFY(limit.out.contains(u"keygate keys limit ID_OR_NAME remove LIMIT_ID"));
        const Run add = keygate({s("keys"), s("limit"), s("ci"), s("add"), s("--help")});
        QCOMPARE(add.exitCode, 0);
        QVERIFY2(add.out.contains(u"--window <WINDOW>") && add.out.contains(u"--model <MODEL>"), qPrintable(add.out));
        const Run efforts = keygate({s("keys"), s("efforts"), s("--help")});
        QCOMPARE(efforts.exitCode, 0);
        QVERIFY2(efforts.out.contains(u"none, minimal, low, medium, high, xhigh"), qPrintable(efforts.out));
        QCOMPARE(keygate({s("keys"), s("models"), s("--help")}).exitCode, 0);
        const Run top = keygate({s("--help")});
        QVERIFY(top.out.contains(u"keys limit ID_OR_NAME add") && top.out.contains(u"keys models ID_OR_NAME --allow"));
    }

    void invalidArguments_exitTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QStringList add{s("keys"), s("limit"), s("ci"), s("add")};
        QTest::newRow("bad type") << add + QStringList{s("--type"), s("credits"), s("--window"), s("day"), s("--max"), s("5")}
                                  << s("--type: unknown limit type \"credits\"");
        QTest::newRow("bad window") << add + QStringList{s("--type"), s("tokens"), s("--window"), s("year"), s("--max"), s("5")}
                                    << s("--window: unknown limit window \"year\"");
        QTest::newRow("zero max") << add + QStringList{s("--type"), s("tokens"), s("--window"), s("day"), s("--max"), s("0")}
                                  << s("--max: a token limit is a positive whole number");
        QTest::newRow("cost decimals") << add + QStringList{s("--type"), s("cost"), s("--window"), s("day"), s("--max"), s("0.1234567")}
                                       << s("--max: a cost limit is a positive amount of USD");
        QTest::newRow("missing max") << add + QStringList{s("--type"), s("tokens"), s("--window"), s("day")}
                                     << s("--max is required");
        QTest::newRow("empty model") << add + QStringList{s("--type"), s("tokens"), s("--window"), s("day"), s("--max"), s("1"), s("--model"), s("")}
                                     << s("--model: empty model name");
        QTest::newRow("remove without id") << QStringList{s("keys"), s("limit"), s("ci"), s("remove")} << s("missing argument");
        QTest::newRow("remove bad id") << QStringList{s("keys"), s("limit"), s("ci"), s("remove"), s("first")}
                                       << s("LIMIT_ID: not a limit id: \"first\"");
        QTest::newRow("limit without action") << QStringList{s("keys"), s("limit"), s("ci")}
                                              << s("usage: keys limit ID_OR_NAME add|list|remove");
        QTest::newRow("limit unknown action") << QStringList{s("keys"), s("limit"), s("ci"), s("set")}
                                              << s("unknown keys limit action \"set\"");
        QTest::newRow("unknown effort") << QStringList{s("keys"), s("efforts"), s("ci"), s("--allow"), s("low,extreme")}
                                        << s("--allow: unknown reasoning effort \"extreme\"");
        QTest::newRow("allow and clear") << QStringList{s("keys"), s("models"), s("ci"), s("--allow"), s("o3"), s("--clear")}
                                         << s("give exactly one of --allow LIST and --clear");
        QTest::newRow("neither") << QStringList{s("keys"), s("efforts"), s("ci")} << s("give exactly one of --allow LIST and --clear");
        QTest::newRow("empty allow") << QStringList{s("keys"), s("models"), s("ci"), s("--allow"), s(" , ")}
                                     << s("--allow: empty list (use --clear to allow every model)");
    }
    void invalidArguments_exitTwoWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QVERIFY(!createKey(s("ci")).isEmpty());
        const Run run = keygate(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        const QString first = run.err.split(u'\n').constFirst();
        QVERIFY2(first.startsWith(s("keygate: error: ") + message), qPrintable(run.err));
        QVERIFY(firstKey().value(u"limits").toArray().isEmpty()); // nothing was changed
        QCOMPARE(firstKey().value(u"allowed_efforts").toArray(), QJsonArray());
    }

    void serve_limitAddedFromCli_enforcedWithin1s_429WithoutUpstreamRequest()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {300, 0, 40, 0, 340})));
        configureUpstream(fake);
        const QByteArray key = createKey(s("ci"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QCOMPARE(post(port, key, body("gpt-5.4")).status, 200); // 340 tokens used

        QCOMPARE(keygate({s("keys"), s("limit"), s("ci"), s("add"), s("--type"), s("tokens"), s("--window"), s("day"),
                          s("--max"), s("100")})
                     .exitCode,
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(post(port, key, body("gpt-5.4")).status, 429, 1000);
        const int upstreamRequests = fake.requestCount();
        const Reply refused = post(port, key, body("gpt-5.4"));
        QCOMPARE(refused.status, 429);
        QCOMPARE(fake.requestCount(), upstreamRequests); // refused before any upstream request
        QCOMPARE(refused.error.value(u"code").toString(), s("rate_limit_exceeded"));
        const QJsonArray limits = json({s("keys"), s("limit"), s("ci"), s("list"), s("--json")});
        const QDateTime reset = QDateTime::fromString(limits.at(0)[u"reset_at"].toString(), Qt::ISODate);
        QCOMPARE(refused.error.value(u"resets_at").toInteger(), reset.toSecsSinceEpoch());
        bool numeric = false;
        QVERIFY2(refused.retryAfter.toLongLong(&numeric) >= 1 && numeric, refused.retryAfter.constData());
        // The CLI counts from the request log, which serve writes behind: 340 used, shown clamped.
        QTRY_COMPARE_WITH_TIMEOUT(json({s("keys"), s("limit"), s("ci"), s("list"), s("--json")})
                                      .at(0)[u"current_value"].toInteger(),
                                  100, 5000);
        QCOMPARE(json({s("keys"), s("limit"), s("ci"), s("list"), s("--json")}).at(0)[u"remaining_value"].toInteger(), 0);
        stop(serve);
    }

    void serve_allowlistsSetFromCli_403()
    {
        FakeUpstream fake;
        fake.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(s("gpt-5.4"), {s("a")}, {10, 0, 5, 0, 15})));
        configureUpstream(fake);
        const QByteArray key = createKey(s("ci"));
        QProcess serve;
        const quint16 port = startServe(serve);
        QVERIFY(port);
        QCOMPARE(post(port, key, body("gpt-5.4")).status, 200);

        QCOMPARE(keygate({s("keys"), s("models"), s("ci"), s("--allow"), s("o3")}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(post(port, key, body("gpt-5.4")).status, 403, 1000);
        const int upstreamRequests = fake.requestCount();
        const Reply model = post(port, key, body("gpt-5.4"));
        QCOMPARE(model.error.value(u"code").toString(), s("model_not_allowed"));
        QCOMPARE(fake.requestCount(), upstreamRequests);

        QCOMPARE(keygate({s("keys"), s("models"), s("ci"), s("--clear")}).exitCode, 0);
        QCOMPARE(keygate({s("keys"), s("efforts"), s("ci"), s("--allow"), s("low")}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(post(port, key, body("gpt-5.4", "high")).error.value(u"code").toString(),
                                  s("reasoning_effort_not_allowed"), 1000);
        QCOMPARE(post(port, key, body("gpt-5.4", "low")).status, 200);
        stop(serve);
    }
};

QTEST_GUILESS_MAIN(tst_KeyPolicyCli)
#include "tst_keypolicycli.moc"
