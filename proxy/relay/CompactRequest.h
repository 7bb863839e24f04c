// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Proxy {

/// Reshapes the body of a `/responses/compact` request into what codex-lb sends upstream since the
/// upstream's own compact endpoint went away: a streamed Responses turn (`stream:true`,
/// `store:false`, `parallel_tool_calls:false`, no `tools`/`tool_choice`) whose input ends with one
/// `{"type":"compaction_trigger"}` item. A string input becomes one user message first; a trigger
/// the client already put last is kept, one anywhere else (or twice) is refused. Pure; any thread.
struct CompactRequest final
{
    QByteArray upstreamBody; ///< compact JSON, when ok()
    QString error;           ///< why the body cannot be compacted (a 400 for the client)

    bool ok() const { return error.isEmpty(); }

    static CompactRequest fromClientBody(QByteArrayView body);
};

} // namespace Proxy
