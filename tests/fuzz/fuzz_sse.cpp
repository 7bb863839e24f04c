// SPDX-License-Identifier: MIT
// SseEventSplitter and SseUsageParser: fed whole or in fuzzer-chosen pieces, a stream gives the same events,
// the same dropped count and the same terminal event and usage; under the cap the events are those of a
// plain line-by-line reading of the stream (below); no event is larger than the cap; the usage parser
// reports its terminal event once, and only one of the terminal types.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/relay/SseEventSplitter.h"
#include "proxy/relay/SseUsageParser.h"

#include <QList>
#include <QPair>

using Proxy::SseEventSplitter;
using Proxy::SseUsageParser;

namespace {

using Event = QPair<QByteArray, QByteArray>; // name, data

struct Split final
{
    QList<Event> events;
    int dropped = 0;
};

Split runSplitter(qsizetype cap, const QList<QByteArrayView> &pieces)
{
    SseEventSplitter splitter(cap);
    Split out;
    for (const QByteArrayView piece : pieces)
        splitter.feed(piece, [&out](QByteArrayView name, QByteArrayView data) {
            out.events.append({name.toByteArray(), data.toByteArray()});
        });
    out.dropped = splitter.droppedEvents();
    return out;
}

/// The splitter's documented rules, read the slow way: the whole stream, one line at a time.
QList<Event> reference(QByteArrayView stream)
{
    QList<Event> events;
    QByteArray name;
    QByteArray data;
    bool hasData = false;
    qsizetype pos = 0;
    while (pos < stream.size()) {
        qsizetype eol = pos;
        while (eol < stream.size() && stream[eol] != '\n' && stream[eol] != '\r')
            ++eol;
        if (eol == stream.size())
            break; // an unfinished line ends nothing
        const QByteArrayView line = stream.sliced(pos, eol - pos);
        pos = eol + 1;
        if (stream[eol] == '\r' && pos < stream.size() && stream[pos] == '\n')
            ++pos;
        if (line.isEmpty()) {
            if (hasData)
                events.append({name, data});
            name.clear();
            data.clear();
            hasData = false;
            continue;
        }
        if (line.front() == ':')
            continue;
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView field = colon < 0 ? line : line.first(colon);
        QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
        if (field == "data") {
            if (hasData)
                data.append('\n');
            data.append(value);
            hasData = true;
        } else if (field == "event") {
            name = value.trimmed().toByteArray();
        }
    }
    return events;
}

struct Usage final
{
    bool terminalSeen = false;
    int completions = 0;
    QString type;
    Proxy::ResponseUsage result;

    bool operator==(const Usage &o) const
    {
        return terminalSeen == o.terminalSeen && completions == o.completions && type == o.type
               && result.responseId == o.result.responseId && result.model == o.result.model
               && result.status == o.result.status && result.usage == o.result.usage
               && result.errorCode == o.result.errorCode;
    }
};

Usage runUsage(const QList<QByteArrayView> &pieces)
{
    SseUsageParser parser;
    Usage out;
    for (const QByteArrayView piece : pieces)
        out.completions += parser.feed(piece);
    out.terminalSeen = parser.terminalSeen();
    out.type = parser.terminalType();
    out.result = parser.result();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    const Fuzz::Input in = Fuzz::Input::parse(data, size);
    static constexpr qsizetype Caps[] = {8, 64, 1024, SseEventSplitter::DefaultMaxEventBytes};
    const qsizetype cap = Caps[in.config & 3];
    const QList<QByteArrayView> pieces = Fuzz::split(in.payload, in.plan);

    const Split whole = runSplitter(cap, {in.payload});
    const Split split = runSplitter(cap, pieces);
    FUZZ_CHECK(whole.events == split.events);
    FUZZ_CHECK(whole.dropped == split.dropped);
    for (const Event &event : whole.events)
        FUZZ_CHECK(event.second.size() <= cap);
    if (in.payload.size() <= cap) {
        FUZZ_CHECK(whole.dropped == 0);
        FUZZ_CHECK(whole.events == reference(in.payload));
    }

    const Usage usage = runUsage({in.payload});
    FUZZ_CHECK(usage == runUsage(pieces));
    FUZZ_CHECK(usage.completions == (usage.terminalSeen ? 1 : 0));
    if (usage.terminalSeen) {
        static const QStringList Terminal = {QStringLiteral("response.completed"), QStringLiteral("response.done"),
                                             QStringLiteral("response.incomplete"), QStringLiteral("response.failed"),
                                             QStringLiteral("error")};
        FUZZ_CHECK(Terminal.contains(usage.type));
        FUZZ_CHECK(!usage.result.status.isEmpty());
    } else {
        FUZZ_CHECK(usage.type.isEmpty());
    }
    return 0;
}
