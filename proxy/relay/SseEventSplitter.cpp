// SPDX-License-Identifier: MIT
#include "proxy/relay/SseEventSplitter.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace Proxy {

namespace {

/// Buffers at most this much capacity between events; a larger one is given back.
constexpr qsizetype KeptCapacity = 64 * 1024;

void emptyKeepingSmallCapacity(QByteArray &buffer)
{
    if (buffer.capacity() > KeptCapacity)
        buffer.clear();
    else
        buffer.truncate(0);
}

const char *findOrEnd(const char *from, const char *end, char c)
{
    if (from == end) // an empty chunk may have no data pointer at all: memchr(nullptr, …) is undefined
        return end;
    const void *hit = std::memchr(from, c, size_t(end - from));
    return hit ? static_cast<const char *>(hit) : end;
}

} // namespace

void SseEventSplitter::Field::set(QByteArrayView value, bool borrow)
{
    m_borrowed = borrow;
    if (borrow) {
        m_view = value;
    } else {
        m_owned.truncate(0);
        m_owned.append(value);
    }
}

void SseEventSplitter::Field::appendLine(QByteArrayView value)
{
    own();
    m_owned.append('\n');
    m_owned.append(value);
}

void SseEventSplitter::Field::own()
{
    if (!std::exchange(m_borrowed, false))
        return;
    m_owned.truncate(0);
    m_owned.append(m_view);
}

void SseEventSplitter::Field::reset()
{
    m_borrowed = false;
    m_view = {};
    emptyKeepingSmallCapacity(m_owned);
}

void SseEventSplitter::feed(QByteArrayView bytes, const EventHandler &onEvent)
{
    const char *const begin = bytes.data();
    const char *const end = begin + bytes.size();
    const char *start = begin; // where the current line's bytes in this chunk begin
    // Lines end at the first LF or CR; both are found with memchr, so a delta event costs two
    // vectorised scans rather than a branch per byte.
    const char *nextLf = findOrEnd(begin, end, '\n');
    const char *nextCr = findOrEnd(begin, end, '\r');
    while (nextLf != end || nextCr != end) {
        const char *eol = std::min(nextLf, nextCr);
        const bool isCr = eol == nextCr;
        if (isCr)
            nextCr = findOrEnd(eol + 1, end, '\r');
        else
            nextLf = findOrEnd(eol + 1, end, '\n');
        // The LF of a CRLF whose CR already ended the line (possibly at the end of the last chunk).
        const bool lfOfCrlf = !isCr && m_lastWasCr && eol == start;
        m_lastWasCr = isCr;
        if (!lfOfCrlf) {
            const QByteArrayView piece(start, eol - start);
            if (m_line.isEmpty() && !m_lineOverflow) {
                finishLine(piece, true, onEvent); // the usual case: the line lies within this chunk
            } else {
                appendToLine(piece);
                if (std::exchange(m_lineOverflow, false))
                    m_eventOverflow = true;
                else
                    finishLine(m_line, false, onEvent);
                emptyKeepingSmallCapacity(m_line);
            }
        }
        start = eol + 1;
    }
    if (start < end) {
        m_lastWasCr = false;
        appendToLine(QByteArrayView(start, end - start));
    }
    // The chunk goes away: what the unfinished event borrowed from it is copied now.
    m_eventName.own();
    m_data.own();
}

void SseEventSplitter::appendToLine(QByteArrayView piece)
{
    if (m_lineOverflow)
        return;
    if (m_line.size() + piece.size() > m_maxEventBytes) {
        m_lineOverflow = true;
        m_line.clear();
        return;
    }
    m_line.append(piece);
}

void SseEventSplitter::finishLine(QByteArrayView line, bool inChunk, const EventHandler &onEvent)
{
    if (line.isEmpty()) {
        finishEvent(onEvent);
        return;
    }
    if (line.size() > m_maxEventBytes) {
        m_eventOverflow = true;
        return;
    }
    if (line.front() == ':' || m_eventOverflow)
        return;
    const char *const lineEnd = line.data() + line.size();
    const char *const colon = findOrEnd(line.data(), lineEnd, ':');
    const QByteArrayView field(line.data(), colon);
    QByteArrayView value = colon == lineEnd ? QByteArrayView() : QByteArrayView(colon + 1, lineEnd);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "data") {
        if (!m_hasData) {
            m_data.set(value, inChunk);
            m_hasData = true;
        } else if (m_data.size() + 1 + value.size() > m_maxEventBytes) {
            m_eventOverflow = true;
        } else {
            m_data.appendLine(value);
        }
    } else if (field == "event") {
        m_eventName.set(value.trimmed(), inChunk);
    }
}

void SseEventSplitter::finishEvent(const EventHandler &onEvent)
{
    if (m_eventOverflow)
        ++m_dropped;
    else if (m_hasData)
        onEvent(m_eventName.view(), m_data.view());
    m_eventName.reset();
    m_data.reset();
    m_hasData = false;
    m_eventOverflow = false;
}

} // namespace Proxy
