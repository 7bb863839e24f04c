// SPDX-License-Identifier: MIT
#include "proxy/relay/SseEventSplitter.h"

namespace Proxy {

void SseEventSplitter::feed(QByteArrayView bytes, const EventHandler &onEvent)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\n' && c != '\r')
            continue;
        const bool lfAfterCr = c == '\n' && m_lastWasCr && i == start;
        m_lastWasCr = c == '\r';
        if (!lfAfterCr) {
            if (m_line.size() + (i - start) <= m_maxEventBytes)
                m_line.append(bytes.sliced(start, i - start));
            else
                m_overflow = true;
            finishLine(onEvent);
        }
        start = i + 1;
    }
    if (start < bytes.size()) {
        m_lastWasCr = false;
        if (m_line.size() + (bytes.size() - start) <= m_maxEventBytes)
            m_line.append(bytes.sliced(start));
        else
            m_overflow = true;
    }
}

void SseEventSplitter::finishLine(const EventHandler &onEvent)
{
    const QByteArray line = std::exchange(m_line, {});
    if (line.isEmpty()) {
        if (m_overflow)
            ++m_dropped;
        else if (m_hasData)
            onEvent(m_eventName, m_data);
        m_eventName.clear();
        m_data.clear();
        m_hasData = false;
        m_overflow = false;
        return;
    }
    if (line.startsWith(':'))
        return;
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? QByteArrayView(line) : QByteArrayView(line).first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : QByteArrayView(line).sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "event") {
        m_eventName = value.toByteArray();
    } else if (field == "data") {
        if (m_data.size() + value.size() + 1 > m_maxEventBytes) {
            m_overflow = true;
            return;
        }
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    }
}

} // namespace Proxy
