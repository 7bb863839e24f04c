// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace Proxy {

/// Splits a server-sent-events stream into events (WHATWG §9.2): lines end with LF, CRLF or CR
/// (never anything else — U+2028 is legal inside JSON strings); `event:` names the event, `data:` lines
/// are joined with LF, comments and other fields are skipped, a blank line ends the event. An event
/// larger than the cap is dropped whole and counted.
class SseEventSplitter final
{
public:
    using EventHandler = std::function<void(QByteArrayView eventName, QByteArrayView data)>;

    explicit SseEventSplitter(qsizetype maxEventBytes = 16 * 1024 * 1024) : m_maxEventBytes(maxEventBytes) {}

    /// Calls @p onEvent for every event @p bytes completes, in order.
    void feed(QByteArrayView bytes, const EventHandler &onEvent);
    int droppedEvents() const { return m_dropped; }

private:
    void finishLine(const EventHandler &onEvent);

    QByteArray m_line;
    QByteArray m_eventName;
    QByteArray m_data;
    bool m_hasData = false;
    bool m_lastWasCr = false;
    bool m_overflow = false;
    int m_dropped = 0;
    qsizetype m_maxEventBytes;
};

} // namespace Proxy
