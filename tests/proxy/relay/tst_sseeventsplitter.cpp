// SPDX-License-Identifier: MIT
#include "proxy/relay/SseEventSplitter.h"

#include <QTest>

using namespace Proxy;

namespace {

struct Event
{
    QByteArray name;
    QByteArray data;
    bool operator==(const Event &other) const { return name == other.name && data == other.data; }
};

using Events = QList<Event>;

/// How QCOMPARE prints an event (found by argument-dependent lookup).
char *toString(const Event &event)
{
    const QByteArray text = "{" + event.name + "|" + event.data + "}";
    return qstrdup(text.constData());
}

/// Feeds @p chunks one after the other and collects the events.
Events split(SseEventSplitter &splitter, const QList<QByteArray> &chunks)
{
    Events events;
    for (const QByteArray &chunk : chunks)
        splitter.feed(chunk, [&events](QByteArrayView name, QByteArrayView data) {
            events.append({name.toByteArray(), data.toByteArray()});
        });
    return events;
}

Events split(const QList<QByteArray> &chunks)
{
    SseEventSplitter splitter;
    return split(splitter, chunks);
}

QList<QByteArray> bytewise(const QByteArray &stream)
{
    QList<QByteArray> chunks;
    for (const char c : stream)
        chunks.append(QByteArray(1, c));
    return chunks;
}

const QByteArray TwoEvents = "event: response.created\ndata: {\"type\":\"response.created\"}\n\n"
                             "event: response.output_text.delta\ndata: {\"delta\":\"hi\"}\n\n";

} // namespace

class tst_SseEventSplitter final : public QObject
{
    Q_OBJECT

private slots:
    void feed_lineEndings_sameEvents_data();
    void feed_lineEndings_sameEvents();
    void feed_crlfSplitBetweenChunks_oneLineEnd();
    void feed_byteByByte_equalsWhole_data();
    void feed_byteByByte_equalsWhole();
    void feed_multiLineData_joinedWithLf();
    void feed_commentsAndUnknownFields_ignored();
    void feed_dataWithAndWithoutSpace();
    void feed_eventNameTrimmed_noDataNotDelivered();
    void feed_oversizeEvent_droppedAndCounted_data();
    void feed_oversizeEvent_droppedAndCounted();
    void feed_lineSeparatorInJson_notALineEnd();
    void feed_emptyChunks_changeNothing();
};

void tst_SseEventSplitter::feed_lineEndings_sameEvents_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("LF") << TwoEvents;
    QTest::newRow("CRLF") << QByteArray(TwoEvents).replace("\n", "\r\n");
    QTest::newRow("CR") << QByteArray(TwoEvents).replace("\n", "\r");
}

void tst_SseEventSplitter::feed_lineEndings_sameEvents()
{
    QFETCH(QByteArray, stream);
    const Events expected{{"response.created", "{\"type\":\"response.created\"}"},
                          {"response.output_text.delta", "{\"delta\":\"hi\"}"}};
    QCOMPARE(split({stream}), expected);
}

void tst_SseEventSplitter::feed_crlfSplitBetweenChunks_oneLineEnd()
{
    // The CR ends the chunk, its LF starts the next: one line end, not a blank line between.
    const Events events = split({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
    QCOMPARE(events, (Events{{"", "a\nb"}}));
}

void tst_SseEventSplitter::feed_byteByByte_equalsWhole_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("eventCount");
    QTest::newRow("LF") << TwoEvents << 2;
    QTest::newRow("CRLF") << QByteArray(TwoEvents).replace("\n", "\r\n") << 2;
    QTest::newRow("CR") << QByteArray(TwoEvents).replace("\n", "\r") << 2;
    QTest::newRow("mixed endings") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\nevent: x\rdata: d\n\n")
                                   << 2;
    QTest::newRow("multi-line, comments")
        << QByteArray(": ping\n\ndata: {\n: c\ndata:  \"k\": 1\nid: 7\ndata: }\n\n") << 1;
    QTest::newRow("no trailing blank line") << QByteArray("data: a\n\ndata: unfinished\n") << 1;
}

void tst_SseEventSplitter::feed_byteByByte_equalsWhole()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, eventCount);
    const Events whole = split({stream});
    QCOMPARE(whole.size(), eventCount);
    QCOMPARE(split(bytewise(stream)), whole);
    QCOMPARE(split({stream.left(stream.size() / 2), stream.mid(stream.size() / 2)}), whole);
}

void tst_SseEventSplitter::feed_multiLineData_joinedWithLf()
{
    QCOMPARE(split({"data: {\ndata: \"a\": 1\ndata: }\n\n"}), (Events{{"", "{\n\"a\": 1\n}"}}));
    QCOMPARE(split({"data\ndata: x\n\n"}), (Events{{"", "\nx"}})); // a bare `data` field is an empty line
}

void tst_SseEventSplitter::feed_commentsAndUnknownFields_ignored()
{
    const Events events =
        split({": keep-alive\n\nid: 42\nretry: 1000\nfoo: bar\nevent: e\n: note\ndata: d\n\n"});
    QCOMPARE(events, (Events{{"e", "d"}})); // the comment-only event has no data: nothing delivered
}

void tst_SseEventSplitter::feed_dataWithAndWithoutSpace()
{
    QCOMPARE(split({"data:x\n\n", "data: x\n\n", "data:  x\n\n"}),
             (Events{{"", "x"}, {"", "x"}, {"", " x"}})); // only one leading space is dropped
}

void tst_SseEventSplitter::feed_eventNameTrimmed_noDataNotDelivered()
{
    QCOMPARE(split({"event:  response.completed \t\ndata: {}\n\n"}), (Events{{"response.completed", "{}"}}));
    // An event without data lines is not delivered, and its name does not carry over.
    QCOMPARE(split({"event: lonely\n\ndata: next\n\n"}), (Events{{"", "next"}}));
    // `data:` with an empty value is an event with empty data.
    QCOMPARE(split({"data:\n\n"}), (Events{{"", ""}}));
}

void tst_SseEventSplitter::feed_oversizeEvent_droppedAndCounted_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    const QByteArray big = "data: " + QByteArray(40, 'x') + "\n";
    const QByteArray stream = "data: first\n\n" + big + "data: tail\n\ndata: next\n\n";
    QTest::newRow("whole") << QList<QByteArray>{stream};
    QTest::newRow("byte by byte") << bytewise(stream);
    // The oversize line fills a chunk of its own, and its line end starts the next one.
    QTest::newRow("line end at chunk start")
        << QList<QByteArray>{"data: first\n\n", big.chopped(1), "\ndata: tail\n\ndata: next\n\n"};
    const QByteArray manyLines =
        "data: first\n\n" + QByteArray("data: 0123456789\n").repeated(4) + "\ndata: next\n\n";
    QTest::newRow("data lines add up") << QList<QByteArray>{manyLines};
    QTest::newRow("data lines add up, byte by byte") << bytewise(manyLines);
}

void tst_SseEventSplitter::feed_oversizeEvent_droppedAndCounted()
{
    QFETCH(QList<QByteArray>, chunks);
    SseEventSplitter splitter(32);
    QCOMPARE(split(splitter, chunks), (Events{{"", "first"}, {"", "next"}}));
    QCOMPARE(splitter.droppedEvents(), 1);
}

void tst_SseEventSplitter::feed_lineSeparatorInJson_notALineEnd()
{
    // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) and NEL are legal inside JSON strings.
    const QByteArray data = "{\"delta\":\"a\xE2\x80\xA8"
                            "b\xE2\x80\xA9"
                            "c\xC2\x85"
                            "d\"}";
    QCOMPARE(split({"data: " + data + "\n\n"}), (Events{{"", data}}));
    QCOMPARE(split(bytewise("data: " + data + "\n\n")), (Events{{"", data}}));
}

void tst_SseEventSplitter::feed_emptyChunks_changeNothing()
{
    // Found by fuzz_sse: an empty view has no data pointer, and the splitter passed it to memchr (undefined).
    SseEventSplitter splitter;
    Events events;
    const auto collect = [&events](QByteArrayView name, QByteArrayView data) {
        events.append({name.toByteArray(), data.toByteArray()});
    };
    splitter.feed(QByteArrayView(), collect);
    splitter.feed("event: a\r", collect);
    splitter.feed(QByteArrayView(), collect); // between the CR and the LF of one line end
    splitter.feed("\ndata: x", collect);
    splitter.feed(QByteArrayView(), collect);
    splitter.feed("\n\n", collect);
    QCOMPARE(events, (Events{{"a", "x"}}));
}

QTEST_GUILESS_MAIN(tst_SseEventSplitter)
#include "tst_sseeventsplitter.moc"
