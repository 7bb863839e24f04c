// SPDX-License-Identifier: MIT
#include "proxy/relay/SseUsageParser.h"

#include "proxy/relay/JsonBodyInspector.h"

namespace Proxy {

namespace {

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
    m_events.feed(bytes, [this, &completedNow](QByteArrayView name, QByteArrayView data) {
        completedNow |= onEvent(name, data);
    });
    return completedNow;
}

bool SseUsageParser::onEvent(QByteArrayView name, QByteArrayView data)
{
    if (m_terminalSeen || data.isEmpty() || !mayBeTerminal(name, data))
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
