// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

class QObject;

namespace Proxy {

/// What a relay tells the metrics as it works (proxy thread): a relay does not know ProxyMetrics.
class RelayObserver
{
public:
    virtual ~RelayObserver() = default;
    /// An attempt on @p accountId ended with the upstream's @p status; 0 = no answer (connection
    /// failure, timeout, unparsable head).
    virtual void upstreamAnswered(qint64 accountId, int status) = 0;
    /// @p relay streams an accepted upstream response to the client (or drains it) until destroyed.
    virtual void streamOpened(QObject *relay) = 0;
};

} // namespace Proxy
