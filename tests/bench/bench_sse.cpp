// SPDX-License-Identifier: MIT
// Benchmark (c): the SSE hot path. Every relayed byte of /v1/responses passes SseUsageParser::feed,
// every WebSocket turn SseEventSplitter::feed. One realistic 200-event turn (created, in_progress,
// item/part added, 192 text deltas, done events, completed with usage) fed whole, in TCP-sized
// chunks and in small chunks. Run with -callgrind for instruction counts (stable on a busy machine).
#include "proxy/relay/SseEventSplitter.h"
#include "proxy/relay/SseUsageParser.h"

#include <QTest>

using namespace Proxy;

namespace {

QByteArray event(const QByteArray &type, const QByteArray &json)
{
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + json + "}\n\n";
}

/// 200 events, about 40 KB, shaped like a Codex backend text turn.
QByteArray realisticTurn()
{
    const QByteArray response = "\"response\":{\"id\":\"resp_0123456789abcdef\",\"object\":\"response\","
                                "\"created_at\":1760000000,\"model\":\"gpt-5.4\",\"status\":\"in_progress\","
                                "\"output\":[],\"usage\":null}";
    QByteArray out;
    out += event("response.created", response + ",\"sequence_number\":0");
    out += event("response.in_progress", response + ",\"sequence_number\":1");
    out +=
        event("response.output_item.added",
              "\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\","
              "\"role\":\"assistant\",\"content\":[]},\"sequence_number\":2");
    out += event("response.content_part.added",
                 "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
                 "\"part\":{\"type\":\"output_text\",\"text\":\"\"},\"sequence_number\":3");
    for (int i = 0; i < 192; ++i)
        out += event("response.output_text.delta",
                     "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" token" +
                         QByteArray::number(i) +
                         " \\\"q\\\"\",\"logprobs\":[],\"obfuscation\":\"abcdEFGH\","
                         "\"sequence_number\":" +
                         QByteArray::number(i + 4));
    out += event("response.output_text.done", "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
                                              "\"text\":\"…\",\"sequence_number\":196");
    out += event("response.content_part.done",
                 "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
                 "\"part\":{\"type\":\"output_text\",\"text\":\"…\"},\"sequence_number\":197");
    out +=
        event("response.output_item.done",
              "\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\","
              "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"…\"}]},\"sequence_"
              "number\":198");
    out += event(
        "response.completed",
        "\"response\":{\"id\":\"resp_0123456789abcdef\",\"object\":\"response\",\"created_at\":1760000000,"
        "\"model\":\"gpt-5.4\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":1200,"
        "\"input_tokens_details\":{\"cached_tokens\":1000},\"output_tokens\":80,"
        "\"output_tokens_details\":{\"reasoning_tokens\":30},\"total_tokens\":1280}},\"sequence_number\":"
        "199");
    return out;
}

QList<QByteArray> chunked(const QByteArray &stream, qsizetype size)
{
    QList<QByteArray> chunks;
    for (qsizetype at = 0; at < stream.size(); at += size)
        chunks.append(stream.mid(at, size));
    return chunks;
}

} // namespace

class bench_Sse final : public QObject
{
    Q_OBJECT

private slots:
    void usageParser_data();
    void usageParser();
    void eventSplitter_data() { usageParser_data(); }
    void eventSplitter();
};

void bench_Sse::usageParser_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    const QByteArray stream = realisticTurn();
    QTest::newRow("whole") << QList<QByteArray>{stream};
    QTest::newRow("1460-byte chunks") << chunked(stream, 1460);
    QTest::newRow("64-byte chunks") << chunked(stream, 64);
}

void bench_Sse::usageParser()
{
    QFETCH(QList<QByteArray>, chunks);
    int terminals = 0;
    QBENCHMARK
    {
        SseUsageParser parser;
        for (const QByteArray &chunk : std::as_const(chunks))
            terminals += parser.feed(chunk) ? 1 : 0;
    }
    QVERIFY(terminals > 0);
}

void bench_Sse::eventSplitter()
{
    QFETCH(QList<QByteArray>, chunks);
    qsizetype bytes = 0;
    QBENCHMARK
    {
        SseEventSplitter splitter;
        for (const QByteArray &chunk : std::as_const(chunks))
            splitter.feed(chunk, [&bytes](QByteArrayView, QByteArrayView data) { bytes += data.size(); });
    }
    QVERIFY(bytes > 0);
}

QTEST_GUILESS_MAIN(bench_Sse)
#include "bench_sse.moc"
