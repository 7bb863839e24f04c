// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <atomic>
#include <memory>

namespace Proxy {

/// What the app's store reports about itself for `/metrics`: written by the store thread, read by
/// the proxy thread only when metrics are scraped. Relaxed atomics: each value stands alone.
struct StoreHealth final
{
    std::atomic<qint64> queueDepth{0};   ///< records and auth events waiting to be written
    std::atomic<qint64> failedWrites{0}; ///< write failures (refused commits, dropped records) since start
};

using StoreHealthPtr = std::shared_ptr<StoreHealth>;

} // namespace Proxy
