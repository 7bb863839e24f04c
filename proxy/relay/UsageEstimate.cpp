// SPDX-License-Identifier: MIT
#include "proxy/relay/UsageEstimate.h"

#include <algorithm>

namespace Proxy::UsageEstimate {

namespace {

qint64 tokensFor(qint64 bytes)
{
    return (std::max<qint64>(bytes, 0) + BytesPerToken - 1) / BytesPerToken;
}

void chargeUnfinished(RequestRecord &record, qint64 bodyBytes, const QString &outcome)
{
    record.outcome = outcome;
    if (record.usage) {
        record.usageSource = QStringLiteral("upstream");
        return;
    }
    record.usage = forClientClosed(bodyBytes, record.bytesOut);
    record.usageSource = QStringLiteral("estimate");
}

} // namespace

TokenUsage reservation(qint64 bodyBytes)
{
    const qint64 input = std::clamp<qint64>(bodyBytes, 0, ReservedInputCap);
    return {input, 0, ReservedOutput, 0, input + ReservedOutput};
}

TokenUsage forClientClosed(qint64 bodyBytes, qint64 relayedBytes)
{
    const TokenUsage floor = reservation(bodyBytes);
    const qint64 input = std::max(tokensFor(bodyBytes), floor.input);
    const qint64 output = std::max(tokensFor(relayedBytes), floor.output);
    return {input, 0, output, 0, input + output};
}

void chargeClientClosed(RequestRecord &record, qint64 bodyBytes)
{
    chargeUnfinished(record, bodyBytes, QStringLiteral("client_closed"));
}

void chargeUpstreamFailed(RequestRecord &record, qint64 bodyBytes)
{
    chargeUnfinished(record, bodyBytes, QStringLiteral("upstream_error"));
}

} // namespace Proxy::UsageEstimate
