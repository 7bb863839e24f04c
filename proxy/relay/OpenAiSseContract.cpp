// SPDX-License-Identifier: MIT
#include "proxy/relay/OpenAiSseContract.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

namespace {

bool isTerminal(QByteArrayView type)
{
    return type == "response.completed" || type == "response.done" || type == "response.incomplete"
           || type == "response.failed";
}

/// `event: <type>` (none for an untyped event) and one `data:` line per line of @p data (the splitter
/// joined them with LF).
QByteArray frame(QByteArrayView type, QByteArrayView data)
{
    QByteArray out;
    out.reserve(type.size() + data.size() + 24);
    if (!type.isEmpty())
        out.append("event: ").append(type).append('\n');
    qsizetype from = 0;
    while (true) {
        const qsizetype lf = data.indexOf('\n', from);
        out.append("data: ").append(data.sliced(from, (lf < 0 ? data.size() : lf) - from)).append('\n');
        if (lf < 0)
            break;
        from = lf + 1;
    }
    return out.append('\n');
}

QByteArray frame(QByteArrayView type, const QJsonObject &data)
{
    return frame(type, QJsonDocument(data).toJson(QJsonDocument::Compact));
}

QJsonObject parse(QByteArrayView data)
{
    return QJsonDocument::fromJson(data.toByteArray()).object();
}

} // namespace

QByteArray OpenAiSseContract::feed(QByteArrayView bytes)
{
    QByteArray out;
    m_events.feed(bytes, [this, &out](QByteArrayView name, QByteArrayView data) { onEvent(name, data, out); });
    return out;
}

void OpenAiSseContract::onEvent(QByteArrayView name, QByteArrayView data, QByteArray &out)
{
    // The backend names every event; a nameless one is typed by its data (rare: parsed).
    QByteArray type = name.toByteArray();
    if (type.isEmpty())
        type = parse(data).value(u"type").toString().toUtf8();
    if (type.startsWith("codex.")) {
        ++m_dropped;
        return;
    }
    if (!m_createdSent && type.startsWith("response.")) {
        m_createdSent = true;
        if (type != "response.created")
            out.append(created(data));
    }
    if (type == "response.output_item.done") {
        const QJsonObject event = parse(data);
        m_items.insert(event.value(u"output_index").toInt(int(m_items.size())), event.value(u"item"));
    } else if (isTerminal(type)) {
        m_terminalSeen = true;
        out.append(backfilled(type, data));
        return;
    }
    out.append(frame(type, data));
}

QByteArray OpenAiSseContract::created(QByteArrayView firstData) const
{
    QJsonObject response = parse(firstData).value(u"response").toObject();
    if (response.isEmpty())
        response = {{QStringLiteral("id"), m_fallbackId},
                    {QStringLiteral("object"), QStringLiteral("response")},
                    {QStringLiteral("created_at"), QDateTime::currentSecsSinceEpoch()},
                    {QStringLiteral("model"), m_model}};
    response.insert(QStringLiteral("status"), QStringLiteral("in_progress"));
    response.insert(QStringLiteral("output"), QJsonArray());
    response.remove(QStringLiteral("usage"));
    return frame("response.created", QJsonObject{{QStringLiteral("type"), QStringLiteral("response.created")},
                                                 {QStringLiteral("response"), response}});
}

QByteArray OpenAiSseContract::backfilled(const QByteArray &type, QByteArrayView data) const
{
    if (m_items.isEmpty())
        return frame(type, data);
    QJsonObject event = parse(data);
    QJsonObject response = event.value(u"response").toObject();
    if (!response.value(u"output").toArray().isEmpty() || !event.value(u"response").isObject())
        return frame(type, data);
    QJsonArray output;
    for (const QJsonValue &item : m_items)
        output.append(item);
    response.insert(QStringLiteral("output"), output);
    event.insert(QStringLiteral("response"), response);
    return frame(type, event);
}

QByteArray OpenAiSseContract::failure(const QString &code, const QString &message)
{
    const QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    const QJsonObject response{{QStringLiteral("status"), QStringLiteral("failed")}, {QStringLiteral("error"), error}};
    return frame("response.failed", QJsonObject{{QStringLiteral("type"), QStringLiteral("response.failed")},
                                                {QStringLiteral("response"), response}});
}

} // namespace Proxy
