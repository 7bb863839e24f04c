// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

namespace Proxy {

/// How many logged requests had one route, status and outcome: the stored totals that
/// `keygate_requests_total` starts from, so it survives a restart like the per-key counters.
struct RequestCount final
{
    QString route; ///< as logged (the path as requested); ProxyMetrics reduces it to its label
    int status = 0;
    QString outcome;
    qint64 count = 0;
};

} // namespace Proxy
