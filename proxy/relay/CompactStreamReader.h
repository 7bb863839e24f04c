// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/SseEventSplitter.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Proxy {

/// Reads the SSE stream of a compaction turn and rebuilds the one JSON object `/responses/compact`
/// answers: the terminal event's `response`, with its `output` backfilled from the
/// `response.output_item.done` items when the terminal event carries none (the Codex backend may
/// leave it empty when nothing is stored). Events come from SseEventSplitter; only output-item and
/// terminal events are JSON-parsed. Pure; any thread.
class CompactStreamReader final
{
public:
    void feed(QByteArrayView bytes);

    /// response.completed / done / incomplete / failed, or a top-level error event, was read.
    bool terminalSeen() const { return !m_terminalType.isEmpty(); }
    /// "response.completed", "response.failed", "error", …; empty until terminalSeen().
    QString terminalType() const { return m_terminalType; }
    bool succeeded() const;
    /// The rebuilt response object (meaningful once terminalSeen()).
    QJsonObject response() const;
    /// The upstream's error of a failed turn: `{code, message}` (possibly empty).
    QJsonObject error() const { return m_error; }

private:
    void onEvent(QByteArrayView eventName, QByteArrayView data);

    SseEventSplitter m_events;
    QJsonArray m_items;
    QJsonObject m_response;
    QJsonObject m_error;
    QString m_terminalType;
};

} // namespace Proxy
