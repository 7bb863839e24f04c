// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace Core {

/// Turns a list of auth traces (e.g. the rows the trace page shows) into JSON or CSV, in the given
/// order. Pure; any thread. Only masked values exist in a trace, so no plaintext key can leak.
///
/// Fields, in this order: time (ISO-8601 UTC with ms), request_id, peer, method, path, verdict,
/// status, key_id (null/empty when none), key_name, source, summary, reason, duration_us, steps.
class AuthTraceExport final
{
public:
    /// A JSON array of objects; `steps` is an array of {header, value, outcome, key_name}.
    static QByteArray toJson(const QList<Proxy::AuthTrace> &traces);
    /// RFC 4180: header row, CRLF line ends, fields quoted when they hold `,` `"` CR or LF. The
    /// `steps` column holds one line per trace: `header: outcome value "key"` joined with "; ".
    static QByteArray toCsv(const QList<Proxy::AuthTrace> &traces);

    static QStringList columns();
    /// "2025-01-31T12:00:00.123Z"
    static QString isoTime(const QDateTime &time);
    /// Microseconds with one decimal (auth decisions take a few µs).
    static double durationUs(qint64 durationNs);
    /// One RFC 4180 field: quoted (and inner quotes doubled) only when needed.
    static QString csvField(const QString &text);
};

} // namespace Core
