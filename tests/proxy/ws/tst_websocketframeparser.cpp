// SPDX-License-Identifier: MIT
// Unit: RFC 6455 client frames (masked) in, events out; server frames; the opening handshake.
#include "proxy/ws/WebSocketFrameParser.h"
#include "proxy/ws/WebSocketHandshake.h"

#include <QTest>

using namespace Proxy;

namespace {

/// A client frame: masked with a fixed key.
QByteArray clientFrame(quint8 opcode, const QByteArray &payload, bool fin = true, quint8 extraBits = 0)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | extraBits | opcode));
    const qint64 size = payload.size();
    if (size < 126) {
        out.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        out.append(char(0x80 | 126)).append(char(size >> 8)).append(char(size & 0xFF));
    } else {
        out.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((size >> shift) & 0xFF));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    out.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ mask[i % 4]));
    return out;
}

} // namespace

class tst_WebSocketFrameParser final : public QObject
{
    Q_OBJECT

private slots:
    void text_maskedFrame_deliveredWhole_evenByteByByte();
    void fragments_reassembled_withPingInBetween();
    void lengths_16and64Bit();
    void close_codeAndReason();
    void violations_closeWithTheRightCode_data();
    void violations_closeWithTheRightCode();
    void continuation_63BitLengthAfterFragment_fails1009();
    void serverFrames_unmaskedWithLengths();
    void handshake_rfc6455Example_andRefusals();
};

void tst_WebSocketFrameParser::text_maskedFrame_deliveredWhole_evenByteByByte()
{
    const QByteArray frame = clientFrame(0x1, R"({"type":"response.create"})");
    WebSocketFrameParser parser(1 << 20);
    QList<WebSocketEvent> events;
    for (const char byte : frame)
        events += parser.feed(QByteArray(1, byte));
    QCOMPARE(events.size(), 1);
    QVERIFY(events.first().kind == WebSocketEvent::Kind::Text);
    QCOMPARE(events.first().payload, QByteArray(R"({"type":"response.create"})"));
}

void tst_WebSocketFrameParser::fragments_reassembled_withPingInBetween()
{
    WebSocketFrameParser parser(1 << 20);
    const QList<WebSocketEvent> events = parser.feed(clientFrame(0x1, "Hel", false) + clientFrame(0x9, "p")
                                                     + clientFrame(0x0, "lo", false) + clientFrame(0x0, "!"));
    QCOMPARE(events.size(), 2);
    QVERIFY(events.at(0).kind == WebSocketEvent::Kind::Ping);
    QCOMPARE(events.at(0).payload, QByteArray("p"));
    QVERIFY(events.at(1).kind == WebSocketEvent::Kind::Text);
    QCOMPARE(events.at(1).payload, QByteArray("Hello!"));
}

void tst_WebSocketFrameParser::lengths_16and64Bit()
{
    WebSocketFrameParser parser(1 << 20);
    const QByteArray medium(300, 'a');
    const QByteArray large(70'000, 'b');
    const QList<WebSocketEvent> events = parser.feed(clientFrame(0x1, medium) + clientFrame(0x2, large));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).payload, medium);
    QVERIFY(events.at(1).kind == WebSocketEvent::Kind::Binary);
    QCOMPARE(events.at(1).payload, large);
}

void tst_WebSocketFrameParser::close_codeAndReason()
{
    WebSocketFrameParser parser(1024);
    const QList<WebSocketEvent> events = parser.feed(clientFrame(0x8, QByteArray("\x03\xe8") + "bye")
                                                     + clientFrame(0x1, "after close"));
    QCOMPARE(events.size(), 1);
    QVERIFY(events.first().kind == WebSocketEvent::Kind::Close);
    QCOMPARE(events.first().closeCode, 1000);
    QCOMPARE(events.first().payload, QByteArray("bye"));
    QCOMPARE(WebSocketFrameParser(1024).feed(clientFrame(0x8, {})).first().closeCode, 1005);
}

void tst_WebSocketFrameParser::violations_closeWithTheRightCode_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("code");
    QByteArray unmasked = clientFrame(0x1, "hi");
    unmasked[1] = char(unmasked[1] & 0x7F);
    QTest::newRow("unmasked") << unmasked << 1002;
    QTest::newRow("reserved bit") << clientFrame(0x1, "hi", true, 0x40) << 1002;
    QTest::newRow("unknown opcode") << clientFrame(0x3, "hi") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x9, "p", false) << 1002;
    QTest::newRow("long ping") << clientFrame(0x9, QByteArray(126, 'p')) << 1002;
    QTest::newRow("continuation first") << clientFrame(0x0, "x") << 1002;
    QTest::newRow("new message inside one") << clientFrame(0x1, "a", false) + clientFrame(0x1, "b") << 1002;
    QTest::newRow("one-byte close") << clientFrame(0x8, "x") << 1002;
    QTest::newRow("bad utf-8") << clientFrame(0x1, "\xc3\x28") << 1007;
    QTest::newRow("too big") << clientFrame(0x1, QByteArray(2000, 'x')) << 1009;
    QTest::newRow("too big in fragments") << clientFrame(0x1, QByteArray(600, 'x'), false) + clientFrame(0x0, QByteArray(600, 'x'))
                                          << 1009;
    // A continuation declaring 2^63-1 bytes after one byte of message: the size check must not overflow.
    const QByteArray maxLength = QByteArray::fromHex("80ff7fffffffffffffff12345678");
    QTest::newRow("length overflows the message") << clientFrame(0x1, "a", false) + maxLength << 1009;
}

void tst_WebSocketFrameParser::violations_closeWithTheRightCode()
{
    QFETCH(QByteArray, input);
    QFETCH(int, code);
    WebSocketFrameParser parser(1024);
    const QList<WebSocketEvent> events = parser.feed(input);
    QVERIFY(!events.isEmpty());
    QVERIFY(events.last().kind == WebSocketEvent::Kind::ProtocolError);
    QCOMPARE(int(events.last().closeCode), code);
    QVERIFY(parser.failed());
    QVERIFY(parser.feed(clientFrame(0x1, "more")).isEmpty());
}

void tst_WebSocketFrameParser::continuation_63BitLengthAfterFragment_fails1009()
{
    // Found by fuzz_websocket_frame_parser: a one-byte first fragment, then a continuation declaring
    // 2^63 - 1 bytes. "message so far + length" overflowed, passed the size check and the parser tried
    // to copy 2^63 bytes.
    QByteArray input = clientFrame(0x1, "a", false);
    input += QByteArray::fromHex("80ff7fffffffffffffff") + QByteArray::fromHex("12345678") + "bc";
    WebSocketFrameParser parser(1024);
    const QList<WebSocketEvent> events = parser.feed(input);
    QCOMPARE(events.size(), 1);
    QVERIFY(events.first().kind == WebSocketEvent::Kind::ProtocolError);
    QCOMPARE(int(events.first().closeCode), 1009);
    QVERIFY(parser.failed());
}

void tst_WebSocketFrameParser::serverFrames_unmaskedWithLengths()
{
    QCOMPARE(WebSocketFrame::text("hi"), QByteArray("\x81\x02hi"));
    const QByteArray medium = WebSocketFrame::text(QByteArray(300, 'a'));
    QCOMPARE(medium.left(4), QByteArray("\x81\x7e\x01\x2c"));
    QCOMPARE(medium.size(), 304);
    QCOMPARE(WebSocketFrame::text(QByteArray(70'000, 'a')).left(2), QByteArray("\x81\x7f"));
    QCOMPARE(WebSocketFrame::close(1011, "upstream failure"), QByteArray("\x88\x12\x03\xf3upstream failure"));
    QCOMPARE(WebSocketFrame::close(1000, QByteArray(200, 'r')).size(), 2 + 125);
    QCOMPARE(WebSocketFrame::pong("p"), QByteArray("\x8a\x01p"));
}

void tst_WebSocketFrameParser::handshake_rfc6455Example_andRefusals()
{
    HttpHeaders headers;
    headers.append("Upgrade", "websocket");
    headers.append("Connection", "keep-alive, Upgrade");
    headers.append("Sec-WebSocket-Version", "13");
    headers.append("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    const WebSocketHandshake ok = WebSocketHandshake::check(headers);
    QVERIFY(ok.valid);
    QCOMPARE(ok.accept, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));

    HttpHeaders badVersion = headers;
    badVersion.set("Sec-WebSocket-Version", "8");
    QVERIFY(!WebSocketHandshake::check(badVersion).valid);
    HttpHeaders badKey = headers;
    badKey.set("Sec-WebSocket-Key", "c2hvcnQ=");
    QVERIFY(!WebSocketHandshake::check(badKey).valid);
    HttpHeaders noConnection = headers;
    noConnection.set("Connection", "keep-alive");
    QVERIFY(!WebSocketHandshake::check(noConnection).valid);
}

QTEST_GUILESS_MAIN(tst_WebSocketFrameParser)
#include "tst_websocketframeparser.moc"
