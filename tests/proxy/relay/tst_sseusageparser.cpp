// SPDX-License-Identifier: MIT
#include "proxy/relay/SseUsageParser.h"

#include <QTest>

using namespace Proxy;

namespace {

const QByteArray Completed =
    "event: response.completed\n"
    "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-5.4\",\"status\":"
    "\"completed\",\"usage\":{\"input_tokens\":1200,\"input_tokens_details\":{\"cached_tokens\":1000},"
    "\"output_tokens\":80,\"output_tokens_details\":{\"reasoning_tokens\":30},\"total_tokens\":1280}}}\n\n";

const QByteArray Delta = "event: response.output_text.delta\n"
                         "data: {\"type\":\"response.output_text.delta\",\"delta\":\"hi \\\"error\\\"\"}\n\n";

} // namespace

class tst_SseUsageParser final : public QObject
{
    Q_OBJECT

private slots:
    void feed_completedEvent_extractsUsage_data();
    void feed_completedEvent_extractsUsage();
    void feed_byteByByte_sameResult();
    void feed_streamWithoutTerminal_reportsNothing();
    void feed_failedEvent_isTerminalWithoutUsage();
    void feed_errorEvent_isTerminal();
    void fromResponseJson_noUsage_isUnset();
};

void tst_SseUsageParser::feed_completedEvent_extractsUsage_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("LF") << QByteArray(Delta + Completed);
    QByteArray crlf = Delta + Completed;
    crlf.replace("\n", "\r\n");
    QTest::newRow("CRLF") << crlf;
    QByteArray cr = Delta + Completed;
    cr.replace("\n", "\r");
    QTest::newRow("CR") << cr;
    QByteArray dataOnly = Delta + Completed;
    dataOnly.replace("event: response.completed\n", "");
    QTest::newRow("no event line") << dataOnly;
    QTest::newRow("response.done") << QByteArray(Completed).replace("response.completed", "response.done");
}

void tst_SseUsageParser::feed_completedEvent_extractsUsage()
{
    QFETCH(QByteArray, stream);
    SseUsageParser parser;
    QVERIFY(parser.feed(stream));
    QVERIFY(parser.terminalSeen());
    const ResponseUsage &result = parser.result();
    QCOMPARE(result.responseId, QStringLiteral("resp_1"));
    QCOMPARE(result.model, QStringLiteral("gpt-5.4"));
    QVERIFY(result.usage.has_value());
    QCOMPARE(result.usage->input, 1200);
    QCOMPARE(result.usage->cached, 1000);
    QCOMPARE(result.usage->output, 80);
    QCOMPARE(result.usage->reasoning, 30);
    QCOMPARE(result.usage->total, 1280);
}

void tst_SseUsageParser::feed_byteByByte_sameResult()
{
    SseUsageParser parser;
    const QByteArray stream = Delta + Delta + Completed;
    int completions = 0;
    for (char c : stream)
        completions += parser.feed(QByteArrayView(&c, 1)) ? 1 : 0;
    QCOMPARE(completions, 1);
    QCOMPARE(parser.result().usage->total, 1280);
}

void tst_SseUsageParser::feed_streamWithoutTerminal_reportsNothing()
{
    SseUsageParser parser;
    QVERIFY(!parser.feed(QByteArray(Delta + Delta + Completed.left(Completed.size() - 1))));
    QVERIFY(!parser.terminalSeen());
}

void tst_SseUsageParser::feed_failedEvent_isTerminalWithoutUsage()
{
    SseUsageParser parser;
    QVERIFY(parser.feed("data: {\"type\":\"response.failed\",\"response\":{\"id\":\"r\",\"status\":\"failed\","
                        "\"error\":{\"code\":\"server_error\",\"message\":\"x\"}}}\n\n"));
    QCOMPARE(parser.result().status, QStringLiteral("failed"));
    QCOMPARE(parser.result().errorCode, QStringLiteral("server_error"));
    QVERIFY(!parser.result().usage.has_value());
}

void tst_SseUsageParser::feed_errorEvent_isTerminal()
{
    SseUsageParser parser;
    QVERIFY(parser.feed("data: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow\"}\n\n"));
    QCOMPARE(parser.terminalType(), QStringLiteral("error"));
    QCOMPARE(parser.result().errorCode, QStringLiteral("rate_limit_exceeded"));
}

void tst_SseUsageParser::fromResponseJson_noUsage_isUnset()
{
    const ResponseUsage usage = ResponseUsage::fromResponseJson("{\"id\":\"r\\u0031\",\"output\":[{\"usage\":1}]}");
    QCOMPARE(usage.responseId, QStringLiteral("r1"));
    QVERIFY(!usage.usage.has_value());
}

QTEST_GUILESS_MAIN(tst_SseUsageParser)
#include "tst_sseusageparser.moc"
