// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace Proxy {

/// Splits a server-sent-events stream into events (WHATWG §9.2) as its bytes arrive: lines end with
/// LF, CRLF or CR (never anything else — U+2028 is legal inside JSON strings), also when a CRLF is
/// split between two chunks; `event:` names the event (trimmed), `data:` lines are joined with LF
/// (one leading space dropped), comments and other fields are skipped, a blank line ends the event,
/// which is handed on when it had at least one `data` line. An event (or line) larger than the cap
/// is dropped whole and counted; the next one is delivered. Nothing is copied for an event that lies
/// within one chunk with a single data line (the handler gets views into the chunk); only what spans
/// chunks is buffered. Plain value class; any thread, one stream per instance.
class SseEventSplitter final
{
public:
    /// @p eventName and @p data are only valid during the call.
    using EventHandler = std::function<void(QByteArrayView eventName, QByteArrayView data)>;

    static constexpr qsizetype DefaultMaxEventBytes = 16 * 1024 * 1024;

    explicit SseEventSplitter(qsizetype maxEventBytes = DefaultMaxEventBytes) : m_maxEventBytes(maxEventBytes)
    {}

    /// Calls @p onEvent for every event @p bytes completes, in order.
    void feed(QByteArrayView bytes, const EventHandler &onEvent);
    /// Events dropped for exceeding the cap so far.
    int droppedEvents() const { return m_dropped; }

private:
    /// A field value that borrows from the current chunk while it can and owns a copy otherwise.
    class Field
    {
    public:
        QByteArrayView view() const { return m_borrowed ? m_view : QByteArrayView(m_owned); }
        qsizetype size() const { return view().size(); }
        void set(QByteArrayView value, bool borrow);
        void appendLine(QByteArrayView value);
        void own();
        void reset();

    private:
        QByteArray m_owned;
        QByteArrayView m_view;
        bool m_borrowed = false;
    };

    void appendToLine(QByteArrayView piece);
    void finishLine(QByteArrayView line, bool inChunk, const EventHandler &onEvent);
    void finishEvent(const EventHandler &onEvent);

    QByteArray m_line; ///< the start of a line the last chunk left unfinished
    Field m_eventName;
    Field m_data;
    bool m_hasData = false;
    bool m_lastWasCr = false;
    bool m_lineOverflow = false;  ///< the unfinished line is over the cap (its bytes are not kept)
    bool m_eventOverflow = false; ///< the current event is over the cap and will be dropped
    int m_dropped = 0;
    qsizetype m_maxEventBytes;
};

} // namespace Proxy
