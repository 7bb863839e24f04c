// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/metrics/PrometheusText.h"

#include <array>

namespace Proxy {

/// A Prometheus histogram of durations in seconds with fixed buckets from 5 ms to 5 min. observe() is
/// a few compares and two additions (proxy thread, no lock); the cumulative buckets are summed on write.
class LatencyHistogram final
{
public:
    static constexpr std::array<qint64, 15> BoundsMs{5,    10,   25,    50,    100,   250,    500,   1000,
                                                     2500, 5000, 10000, 30000, 60000, 120000, 300000};

    void observe(qint64 ms);
    /// The `_bucket`, `_sum` and `_count` samples of family @p name (its HELP/TYPE written by the caller).
    void write(PrometheusText &text, QByteArrayView name) const;

private:
    std::array<qint64, BoundsMs.size() + 1> m_counts{}; ///< per bucket, not cumulative; the last is +Inf
    qint64 m_sumMs = 0;
};

} // namespace Proxy
