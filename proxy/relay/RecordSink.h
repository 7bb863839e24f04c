// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include <functional>

namespace Proxy {

/// Where a relay hands its request's record, exactly once. @p durable, when set, is called on the
/// proxy thread once the record would survive a crash of this process (or once waiting for that has
/// timed out): relays hold a response's terminal bytes until then, so a client never sees a response
/// complete whose usage a `kill -9` could still lose.
using RecordSink = std::function<void(const RequestRecord &record, std::function<void()> durable)>;

} // namespace Proxy
