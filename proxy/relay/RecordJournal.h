// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include <QList>

#include <functional>

namespace Proxy {

/// The durable destination of request records, implemented outside the proxy (the store). The proxy
/// hands every finished record to it directly from the proxy thread, without waiting on it.
class RecordJournal
{
public:
    virtual ~RecordJournal() = default;
    /// Thread-safe and non-blocking. @p durable is called, on any thread, once @p records are written
    /// where a crash of this process cannot lose them (a committed SQLite WAL frame: fsync is not needed
    /// for that). It may never be called when the write keeps failing; the journal keeps retrying.
    virtual void append(const QList<RequestRecord> &records, std::function<void()> durable) = 0;
};

} // namespace Proxy
