// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/SseEventSplitter.h"

#include <QByteArray>
#include <QJsonValue>
#include <QMap>
#include <QString>

namespace Proxy {

/// Rewrites a ChatGPT backend Responses stream into the stream the OpenAI SDKs expect from `/v1`
/// (codex-lb, "OpenAI SDK contract"): backend-private `codex.*` events (rate limits, keepalives) are
/// dropped; the first `response.*` event is `response.created` (synthesised from the first event's
/// `response` when the backend did not send one); and the terminal event's `output`, which the
/// backend leaves empty when nothing is stored, is backfilled from the `response.output_item.done`
/// items. Every other event keeps its data bytes as sent (reframed as `event:`/`data:` lines); only
/// output-item and terminal events are JSON-parsed. Pure; any thread, one stream per instance.
class OpenAiSseContract final
{
public:
    /// @p fallbackId / @p model name the synthesised `response.created` when no event carries a response.
    OpenAiSseContract(QString fallbackId, QString model)
        : m_fallbackId(std::move(fallbackId)), m_model(std::move(model))
    {}

    /// The client's bytes for the upstream @p bytes (possibly empty: events span chunks).
    QByteArray feed(QByteArrayView bytes);
    /// The `response.failed` event for a stream that broke before its terminal event.
    static QByteArray failure(const QString &code, const QString &message);

    int droppedEvents() const { return m_dropped; }
    bool terminalSeen() const { return m_terminalSeen; }

private:
    void onEvent(QByteArrayView name, QByteArrayView data, QByteArray &out);
    QByteArray created(QByteArrayView firstData) const;
    QByteArray backfilled(const QByteArray &type, QByteArrayView data) const;

    SseEventSplitter m_events;
    QMap<int, QJsonValue> m_items; ///< output_index → the done item
    QString m_fallbackId;
    QString m_model;
    int m_dropped = 0;
    bool m_createdSent = false;
    bool m_terminalSeen = false;
};

} // namespace Proxy
