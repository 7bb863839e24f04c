// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/TokenUsage.h"

namespace Proxy {

/// What a request is charged when its usage is not known: the limit reservation made at admission
/// (LimitEnforcer) and the charge for a request that ended before the upstream's `usage` arrived.
namespace UsageEstimate {

/// Request bytes are an upper bound of its tokens; the reservation counts at most this many.
constexpr qint64 ReservedInputCap = 8192;
constexpr qint64 ReservedOutput = 2048;
/// The rule of thumb for English text and JSON: about four bytes per token.
constexpr qint64 BytesPerToken = 4;

/// Tokens reserved at admission for a body of @p bodyBytes: min(bytes, 8192) in, 2048 out.
TokenUsage reservation(qint64 bodyBytes);

/// The charge for a request whose client closed before any usage arrived: input from the request
/// body (@p bodyBytes / 4), output from what was already relayed (@p relayedBytes / 4), and never
/// less than reservation() in either direction.
TokenUsage forClientClosed(qint64 bodyBytes, qint64 relayedBytes);

/// Makes @p record the one of a request whose client hung up: outcome client_closed, with the upstream's
/// usage when it arrived (usage_source "upstream"), else forClientClosed(@p bodyBytes, the bytes it
/// relayed) ("estimate"). Every relay that drains charges through this.
void chargeClientClosed(RequestRecord &record, qint64 bodyBytes);

/// Makes @p record the one of a request whose upstream accepted it and then failed before its usage
/// arrived (cut, reset, idle timeout, an unparsable body): outcome upstream_error, charged
/// forClientClosed(@p bodyBytes, the bytes it relayed) ("estimate"), because the upstream may well have
/// billed the work. A usage that did arrive stays ("upstream").
void chargeUpstreamFailed(RequestRecord &record, qint64 bodyBytes);

} // namespace UsageEstimate

} // namespace Proxy
