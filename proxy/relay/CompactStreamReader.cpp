// SPDX-License-Identifier: MIT
#include "proxy/relay/CompactStreamReader.h"

#include <QJsonDocument>

namespace Proxy {

namespace {

bool isTerminalType(const QString &type)
{
    return type == u"response.completed" || type == u"response.done" || type == u"response.incomplete"
           || type == u"response.failed" || type == u"error";
}

bool matters(const QString &type)
{
    return type == u"response.output_item.done" || isTerminalType(type);
}

/// Cheap pre-check so that delta events are never JSON-parsed: the event name, else the data's head.
bool mayMatter(QByteArrayView eventName, QByteArrayView data)
{
    if (!eventName.isEmpty())
        return matters(QString::fromLatin1(eventName));
    const QByteArrayView head = data.first(std::min<qsizetype>(data.size(), 256));
    return head.contains("\"response.output_item.done\"") || head.contains("\"response.completed\"")
           || head.contains("\"response.done\"") || head.contains("\"response.incomplete\"")
           || head.contains("\"response.failed\"") || head.contains("\"error\"");
}

} // namespace

void CompactStreamReader::feed(QByteArrayView bytes)
{
    m_events.feed(bytes, [this](QByteArrayView name, QByteArrayView data) { onEvent(name, data); });
}

void CompactStreamReader::onEvent(QByteArrayView name, QByteArrayView data)
{
    if (terminalSeen() || data.isEmpty() || !mayMatter(name, data))
        return;
    const QJsonObject event = QJsonDocument::fromJson(data.toByteArray()).object();
    const QString type = event.value(u"type").toString(QString::fromLatin1(name));
    if (type == u"response.output_item.done") {
        m_items.append(event.value(u"item"));
        return;
    }
    if (!isTerminalType(type))
        return;
    m_terminalType = type;
    if (type == u"error") {
        m_error = event.value(u"error").isObject()
                      ? event.value(u"error").toObject()
                      : QJsonObject{{QStringLiteral("code"), event.value(u"code")},
                                    {QStringLiteral("message"), event.value(u"message")}};
        return;
    }
    m_response = event.value(u"response").toObject();
    m_error = m_response.value(u"error").toObject();
}

bool CompactStreamReader::succeeded() const
{
    return m_terminalType == u"response.completed" || m_terminalType == u"response.done"
           || m_terminalType == u"response.incomplete";
}

QJsonObject CompactStreamReader::response() const
{
    QJsonObject out = m_response;
    if (out.value(u"output").toArray().isEmpty() && !m_items.isEmpty())
        out.insert(QStringLiteral("output"), m_items);
    return out;
}

} // namespace Proxy
