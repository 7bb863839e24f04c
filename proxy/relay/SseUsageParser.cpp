// SPDX-License-Identifier: MIT
#include "proxy/relay/SseUsageParser.h"

#include "proxy/relay/JsonBodyInspector.h"

#include <utility>

namespace Proxy {

namespace {

constexpr qsizetype MaxEventBytes = 16 * 1024 * 1024;

bool isTerminalType(QByteArrayView type)
{
    return type == "response.completed" || type == "response.done" || type == "response.incomplete"
           || type == "response.failed" || type == "error";
}

/// Cheap pre-check so that delta events are never JSON-parsed.
bool mayBeTerminal(QByteArrayView eventName, QByteArrayView data)
{
    if (!eventName.isEmpty())
        return isTerminalType(eventName);
    const QByteArrayView head = data.first(std::min<qsizetype>(data.size(), 256));
    return head.contains("\"response.completed\"") || head.contains("\"response.done\"")
           || head.contains("\"response.incomplete\"") || head.contains("\"response.failed\"")
           || head.contains("\"error\"");
}

} // namespace

bool SseUsageParser::feed(QByteArrayView bytes)
{
    bool completedNow = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\n' && c != '\r')
            continue;
        // The LF of a CRLF whose CR already ended the line.
        const bool lfOfCrlf = c == '\n' && m_lastWasCr && i == start && m_line.isEmpty();
        m_lastWasCr = c == '\r';
        if (!lfOfCrlf) {
            if (m_line.isEmpty()) {
                completedNow |= finishLine(bytes.sliced(start, i - start));
            } else {
                if (!m_overflow)
                    m_line.append(bytes.sliced(start, i - start));
                completedNow |= finishLine(m_line);
                m_line.clear();
            }
        }
        start = i + 1;
    }
    if (start < bytes.size()) {
        m_lastWasCr = false;
        if (m_line.size() + (bytes.size() - start) <= MaxEventBytes)
            m_line.append(bytes.sliced(start));
        else
            m_overflow = true;
    }
    return completedNow;
}

bool SseUsageParser::finishLine(QByteArrayView line)
{
    if (line.isEmpty())
        return finishEvent();
    if (line.startsWith("data:")) {
        QByteArrayView value = line.sliced(5);
        if (value.startsWith(' '))
            value = value.sliced(1);
        if (m_data.size() + value.size() > MaxEventBytes) {
            m_overflow = true;
            return false;
        }
        if (!m_data.isEmpty())
            m_data.append('\n');
        m_data.append(value);
    } else if (line.startsWith("event:")) {
        m_eventName = line.sliced(6).trimmed().toByteArray();
    }
    return false;
}

bool SseUsageParser::finishEvent()
{
    const QByteArray name = std::exchange(m_eventName, {});
    const QByteArray data = std::exchange(m_data, {});
    const bool overflow = std::exchange(m_overflow, false);
    if (m_terminalSeen || overflow || data.isEmpty() || !mayBeTerminal(name, data))
        return false;
    QString type = QString::fromLatin1(name);
    QByteArrayView response;
    QString errorCode;
    forEachTopLevelMember(data, [&](QByteArrayView key, QByteArrayView value) {
        if (key == "type")
            type = jsonStringValue(value);
        else if (key == "response")
            response = value;
        else if (key == "code")
            errorCode = jsonStringValue(value);
    });
    if (!isTerminalType(type.toLatin1()))
        return false;
    m_terminalSeen = true;
    m_terminalType = type;
    if (type == u"error") {
        m_result.status = QStringLiteral("failed");
        m_result.errorCode = errorCode;
    } else {
        m_result = ResponseUsage::fromResponseJson(response);
        if (m_result.status.isEmpty())
            m_result.status = type.mid(9); // "response.<status>"
    }
    return true;
}

} // namespace Proxy
