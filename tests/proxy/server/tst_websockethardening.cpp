// SPDX-License-Identifier: MIT
// Integration: what a hostile WebSocket client sends to the real proxy — close codes it may not send,
// and floods of pings or bad messages while it reads nothing — over a raw socket, so that every byte
// and the client's reading pace are the test's to choose.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QTcpSocket>

using namespace Proxy;

namespace {

enum Opcode : quint8 { Text = 0x1, Close = 0x8, Ping = 0x9, Pong = 0xA };

/// A masked client frame (RFC 6455 §5.2) with a payload of at most 65535 bytes.
QByteArray clientFrame(quint8 opcode, const QByteArray &payload)
{
    QByteArray out;
    out.append(char(0x80 | opcode));
    if (payload.size() < 126) {
        out.append(char(0x80 | payload.size()));
    } else {
        out.append(char(0x80 | 126));
        out.append(char(payload.size() >> 8)).append(char(payload.size() & 0xFF));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    out.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ mask[i % 4]));
    return out;
}

QByteArray closePayload(quint16 code)
{
    QByteArray out;
    out.append(char(code >> 8)).append(char(code & 0xFF));
    return out;
}

struct ServerFrame
{
    quint8 opcode = 0;
    QByteArray payload;
};

/// A WebSocket client on a raw socket, upgraded on /v1/responses with Pi's key.
class RawWebSocket
{
public:
    bool open(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!m_socket.waitForConnected(2000))
            return false;
        m_socket.write("GET /v1/responses HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                       + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
                       + ProxyTestHarness::PiKey.toByteArray() + "\r\n\r\n");
        if (!QTest::qWaitFor([this] { return pump(), m_buffer.contains("\r\n\r\n"); }, 5000))
            return false;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n") + 4;
        const bool upgraded = m_buffer.startsWith("HTTP/1.1 101");
        m_buffer.remove(0, end);
        return upgraded;
    }

    void send(quint8 opcode, const QByteArray &payload) { m_socket.write(clientFrame(opcode, payload)); }
    QTcpSocket &socket() { return m_socket; }

    /// The next whole frame from the server, waiting up to @p timeoutMs.
    std::optional<ServerFrame> next(int timeoutMs = 5000)
    {
        std::optional<ServerFrame> frame;
        (void)QTest::qWaitFor([&] { return pump(), (frame = take()).has_value(); }, timeoutMs);
        return frame;
    }
    /// Frames already received, without waiting.
    std::optional<ServerFrame> take()
    {
        if (m_buffer.size() < 2)
            return std::nullopt;
        qsizetype length = quint8(m_buffer[1]) & 0x7F;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return std::nullopt;
            length = (qsizetype(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
            header = 4;
        }
        if (m_buffer.size() < header + length)
            return std::nullopt;
        ServerFrame frame{quint8(m_buffer[0] & 0x0F), m_buffer.mid(header, length)};
        m_buffer.remove(0, header + length);
        return frame;
    }
    void pump() { m_buffer += m_socket.readAll(); }
    bool disconnected() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace

class tst_WebSocketHardening final : public QObject
{
    Q_OBJECT

private slots:
    void clientClose_codeItMayNotSend_closed1002_data();
    void clientClose_codeItMayNotSend_closed1002();
    void clientClose_validCode_echoed_data();
    void clientClose_validCode_echoed();
    void pingFlood_clientNotReading_pongsCoalescedLatestSent();
    void badMessageFlood_clientNotReading_connectionDropped();
};

void tst_WebSocketHardening::clientClose_codeItMayNotSend_closed1002_data()
{
    QTest::addColumn<int>("code");
    for (int code : {0, 999, 1004, 1005, 1006, 1012, 1015, 1016, 2000, 2999, 5000, 65535})
        QTest::newRow(qPrintable(QString::number(code))) << code;
}

void tst_WebSocketHardening::clientClose_codeItMayNotSend_closed1002()
{
    QFETCH(int, code);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
    RawWebSocket ws;
    QVERIFY(ws.open(proxy.port));
    ws.send(Close, closePayload(quint16(code)) + "bye");
    const auto frame = ws.next();
    QVERIFY(frame);
    QCOMPARE(frame->opcode, quint8(Close));
    QCOMPARE(frame->payload.left(2), closePayload(1002));
    QTRY_VERIFY(ws.disconnected());
}

void tst_WebSocketHardening::clientClose_validCode_echoed_data()
{
    QTest::addColumn<int>("code");
    for (int code : {1000, 1001, 1003, 1007, 1011, 3000, 4999})
        QTest::newRow(qPrintable(QString::number(code))) << code;
}

void tst_WebSocketHardening::clientClose_validCode_echoed()
{
    QFETCH(int, code);
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
    RawWebSocket ws;
    QVERIFY(ws.open(proxy.port));
    ws.send(Close, closePayload(quint16(code)));
    const auto frame = ws.next();
    QVERIFY(frame);
    QCOMPARE(frame->opcode, quint8(Close));
    QCOMPARE(frame->payload.left(2), closePayload(quint16(code)));
}

void tst_WebSocketHardening::pingFlood_clientNotReading_pongsCoalescedLatestSent()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
    RawWebSocket ws;
    QVERIFY(ws.open(proxy.port));
    // The client stops reading; 120,000 pings with 125-byte payloads ask for ~15 MB of pongs, well past
    // what the kernel buffers of both ends hold.
    ws.socket().setReadBufferSize(16 * 1024);
    constexpr int Pings = 120'000;
    for (int i = 0; i < Pings; ++i)
        ws.send(Ping, QByteArray::number(i).leftJustified(125, '.'));
    QTRY_VERIFY_WITH_TIMEOUT(ws.socket().bytesToWrite() == 0, 30000);
    // Then it reads again, and pings once more: that last ping is answered.
    ws.socket().setReadBufferSize(0);
    ws.send(Ping, "last");
    int pongs = 0;
    bool lastAnswered = false;
    QTRY_VERIFY_WITH_TIMEOUT((
        [&] {
            ws.pump();
            while (const auto frame = ws.take()) {
                if (frame->opcode == Pong)
                    ++pongs;
                lastAnswered = lastAnswered || frame->payload == "last";
            }
            return lastAnswered;
        }()),
        30000);
    QVERIFY2(pongs < Pings, qPrintable(QStringLiteral("%1 pongs for %2 pings").arg(pongs).arg(Pings)));
    QVERIFY(!ws.disconnected());
}

void tst_WebSocketHardening::badMessageFlood_clientNotReading_connectionDropped()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
    RawWebSocket ws;
    QVERIFY(ws.open(proxy.port));
    ws.socket().setReadBufferSize(16 * 1024);
    // Each `{}` earns a ~150-byte error event: 200,000 of them would be ~30 MB queued for a client that
    // reads nothing.
    constexpr int Messages = 200'000;
    for (int i = 0; i < Messages; ++i)
        ws.send(Text, "{}");
    QTRY_VERIFY_WITH_TIMEOUT(ws.socket().bytesToWrite() == 0 || ws.disconnected(), 30000);
    ws.socket().setReadBufferSize(0);
    int errors = 0;
    QTRY_VERIFY_WITH_TIMEOUT((
        [&] {
            ws.pump();
            while (const auto frame = ws.take())
                errors += frame->opcode == Text ? 1 : 0;
            return ws.disconnected();
        }()),
        30000);
    QVERIFY2(errors < Messages, qPrintable(QStringLiteral("%1 error events for %2 messages").arg(errors).arg(Messages)));
}

QTEST_GUILESS_MAIN(tst_WebSocketHardening)
#include "tst_websockethardening.moc"
