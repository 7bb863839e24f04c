// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace Proxy {

/// Token counts of one response, as the upstream reported them in `usage`.
struct TokenUsage final
{
    qint64 input = 0;
    qint64 cached = 0;    ///< input_tokens_details.cached_tokens
    qint64 output = 0;
    qint64 reasoning = 0; ///< output_tokens_details.reasoning_tokens
    qint64 total = 0;

    bool operator==(const TokenUsage &) const = default;
};

/// Lifetime totals of one key, the numbers /v1/usage and `keygate usage` report.
struct UsageTotals final
{
    qint64 requestCount = 0;
    qint64 input = 0;
    qint64 cached = 0;
    qint64 output = 0;
    qint64 reasoning = 0;
    qint64 total = 0;
    double costUsd = 0.0;

    void add(const TokenUsage &usage)
    {
        input += usage.input;
        cached += usage.cached;
        output += usage.output;
        reasoning += usage.reasoning;
        total += usage.total;
    }
    bool operator==(const UsageTotals &) const = default;
};

} // namespace Proxy
