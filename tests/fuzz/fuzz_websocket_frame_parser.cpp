// SPDX-License-Identifier: MIT
// WebSocketFrameParser (client frames): fed whole or in fuzzer-chosen pieces, a stream gives the same events;
// the payloads it hands out never add up to more than the input; nothing follows a close or a protocol
// error; texts and close reasons are UTF-8; messages keep to the size limit and control payloads to 125
// bytes; a close code is one a client may send, an error code one of 1002, 1007, 1009.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/ws/WebSocketFrameParser.h"

#include <QUtf8StringView>

using Proxy::WebSocketEvent;
using Proxy::WebSocketFrameParser;

namespace {

bool sameEvents(const QList<WebSocketEvent> &a, const QList<WebSocketEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].kind != b[i].kind || a[i].payload != b[i].payload || a[i].closeCode != b[i].closeCode)
            return false;
    return true;
}

QList<WebSocketEvent> run(qint64 maxMessageBytes, const QList<QByteArrayView> &pieces, bool *failed)
{
    WebSocketFrameParser parser(maxMessageBytes);
    QList<WebSocketEvent> events;
    for (const QByteArrayView piece : pieces) {
        const bool wasFailed = parser.failed();
        const QList<WebSocketEvent> more = parser.feed(piece.toByteArray());
        FUZZ_CHECK(!wasFailed || more.isEmpty());
        events += more;
    }
    *failed = parser.failed();
    return events;
}

bool isClientCloseCode(quint16 code)
{
    return code == 1005 || (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
           || (code >= 3000 && code <= 4999);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    const Fuzz::Input in = Fuzz::Input::parse(data, size);
    static constexpr qint64 Limits[] = {0, 125, 1000, 16 * 1024 * 1024};
    const qint64 maxMessageBytes = Limits[in.config & 3];

    bool wholeFailed = false;
    bool piecesFailed = false;
    const QList<WebSocketEvent> whole = run(maxMessageBytes, {in.payload}, &wholeFailed);
    const QList<WebSocketEvent> pieces = run(maxMessageBytes, Fuzz::split(in.payload, in.plan), &piecesFailed);
    FUZZ_CHECK(sameEvents(whole, pieces));
    FUZZ_CHECK(wholeFailed == piecesFailed);

    qint64 payloadBytes = 0;
    for (qsizetype i = 0; i < whole.size(); ++i) {
        const WebSocketEvent &event = whole[i];
        const bool last = i == whole.size() - 1;
        switch (event.kind) {
        case WebSocketEvent::Kind::Text:
            FUZZ_CHECK(QUtf8StringView(event.payload).isValidUtf8());
            Q_FALLTHROUGH();
        case WebSocketEvent::Kind::Binary:
            FUZZ_CHECK(event.payload.size() <= maxMessageBytes);
            payloadBytes += event.payload.size();
            break;
        case WebSocketEvent::Kind::Ping:
        case WebSocketEvent::Kind::Pong:
            FUZZ_CHECK(event.payload.size() <= 125);
            payloadBytes += event.payload.size();
            break;
        case WebSocketEvent::Kind::Close:
            FUZZ_CHECK(last && wholeFailed);
            FUZZ_CHECK(isClientCloseCode(event.closeCode));
            FUZZ_CHECK(event.payload.size() <= 123 && QUtf8StringView(event.payload).isValidUtf8());
            FUZZ_CHECK(event.closeCode != 1005 || event.payload.isEmpty());
            payloadBytes += event.payload.size();
            break;
        case WebSocketEvent::Kind::ProtocolError:
            FUZZ_CHECK(last && wholeFailed);
            FUZZ_CHECK(event.closeCode == 1002 || event.closeCode == 1007 || event.closeCode == 1009);
            break;
        }
    }
    // Every payload byte came with a 2-byte header and a 4-byte mask at least.
    FUZZ_CHECK(payloadBytes <= in.payload.size());
    FUZZ_CHECK(!wholeFailed || (!whole.isEmpty() && (whole.constLast().kind == WebSocketEvent::Kind::Close
                                                     || whole.constLast().kind == WebSocketEvent::Kind::ProtocolError)));
    return 0;
}
