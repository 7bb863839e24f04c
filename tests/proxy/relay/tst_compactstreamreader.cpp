// SPDX-License-Identifier: MIT
// Unit: rebuilding the compact JSON from a compaction turn's SSE stream.
#include "proxy/relay/CompactStreamReader.h"

#include <QJsonArray>
#include <QTest>

using namespace Proxy;

class tst_CompactStreamReader final : public QObject
{
    Q_OBJECT

private slots:
    void read_completed_backfillsOutputFromItems();
    void read_terminalOutputKept_crlfAndSplitChunks();
    void read_failedAndErrorEvents();
    void read_noTerminal_notSeen();
};

void tst_CompactStreamReader::read_completed_backfillsOutputFromItems()
{
    CompactStreamReader reader;
    reader.feed("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"x\"}\n\n"
                "data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"compaction\",\"id\":\"c1\"}}\n\n"
                "event: response.completed\n"
                "data: {\"response\":{\"id\":\"r1\",\"output\":[],\"usage\":{\"input_tokens\":5}},"
                "\"type\":\"response.completed\"}\n\n");
    QVERIFY(reader.terminalSeen());
    QVERIFY(reader.succeeded());
    const QJsonObject response = reader.response();
    QCOMPARE(response.value(u"id").toString(), QStringLiteral("r1"));
    QCOMPARE(response.value(u"output").toArray().size(), 1);
    QCOMPARE(response.value(u"output").toArray().first().toObject().value(u"id").toString(), QStringLiteral("c1"));
    QCOMPARE(response.value(u"usage").toObject().value(u"input_tokens").toInt(), 5);
}

void tst_CompactStreamReader::read_terminalOutputKept_crlfAndSplitChunks()
{
    const QByteArray stream =
        "data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"compaction\",\"id\":\"c1\"}}\r\n\r\n"
        "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"r2\",\"output\":[{\"type\":\"message\"}]}}\r\n\r\n";
    CompactStreamReader reader;
    for (qsizetype i = 0; i < stream.size(); i += 7)
        reader.feed(QByteArrayView(stream).sliced(i, std::min<qsizetype>(7, stream.size() - i)));
    QVERIFY(reader.succeeded());
    const QJsonArray output = reader.response().value(u"output").toArray();
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.first().toObject().value(u"type").toString(), QStringLiteral("message"));
}

void tst_CompactStreamReader::read_failedAndErrorEvents()
{
    CompactStreamReader failed;
    failed.feed("data: {\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":\"server_is_overloaded\","
                "\"message\":\"busy\"}}}\n\n");
    QVERIFY(failed.terminalSeen());
    QVERIFY(!failed.succeeded());
    QCOMPARE(failed.error().value(u"code").toString(), QStringLiteral("server_is_overloaded"));

    CompactStreamReader error;
    error.feed("event: error\ndata: {\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\"}\n\n");
    QCOMPARE(error.terminalType(), QStringLiteral("error"));
    QCOMPARE(error.error().value(u"message").toString(), QStringLiteral("slow down"));
}

void tst_CompactStreamReader::read_noTerminal_notSeen()
{
    CompactStreamReader reader;
    reader.feed("data: {\"type\":\"response.created\",\"response\":{}}\n\n"
                "data: {\"type\":\"response.completed\",\"response\":{}}"); // no blank line yet
    QVERIFY(!reader.terminalSeen());
    reader.feed("\n\n");
    QVERIFY(reader.terminalSeen());
}

QTEST_GUILESS_MAIN(tst_CompactStreamReader)
#include "tst_compactstreamreader.moc"
