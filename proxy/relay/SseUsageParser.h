// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/ResponseUsage.h"
#include "proxy/relay/SseEventSplitter.h"

#include <QByteArray>

namespace Proxy {

/// Watches a Responses API SSE stream as it passes through and picks out the terminal event
/// (response.completed / done / incomplete / failed, or a top-level `error` event). Events come from
/// SseEventSplitter (no copy for an event within one chunk); only terminal events are JSON-parsed,
/// so the cost per delta event is a short scan. The bytes themselves are never modified.
class SseUsageParser final
{
public:
    /// Feeds the next bytes. Returns true when this call completed the terminal event.
    bool feed(QByteArrayView bytes);

    bool terminalSeen() const { return m_terminalSeen; }
    QString terminalType() const { return m_terminalType; }
    const ResponseUsage &result() const { return m_result; }

private:
    bool onEvent(QByteArrayView eventName, QByteArrayView data);

    SseEventSplitter m_events;
    bool m_terminalSeen = false;
    QString m_terminalType;
    ResponseUsage m_result;
};

} // namespace Proxy
