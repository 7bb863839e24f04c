// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QMetaType>

#include <optional>

namespace Proxy {

/// The quota windows an upstream response reports in its `x-codex-{primary,secondary}-*` headers.
/// Each field is unset when the header is missing or invalid.
struct QuotaWindows final
{
    std::optional<int> primaryUsedPercent;   ///< 0…100 (rounded, clamped)
    std::optional<int> secondaryUsedPercent;
    QDateTime primaryResetAt;                ///< UTC, invalid = unknown
    QDateTime secondaryResetAt;

    /// Reads `x-codex-primary-used-percent`, `x-codex-primary-reset-after-seconds`,
    /// `x-codex-primary-reset-at` (epoch seconds) and the same for `secondary`.
    static QuotaWindows fromHeaders(const HttpHeaders &headers, const QDateTime &now);
};

/// When a rate-limited (429) account may be used again, from what the upstream said: `Retry-After`
/// (seconds or an HTTP date), then `resets_at` (epoch seconds) / `resets_in_seconds` in the JSON
/// error body (under "error" or top level), then the quota headers (the secondary window's reset when
/// it is the exhausted one, else the primary's). An invalid QDateTime when nothing usable was given,
/// or the hint lies in the past.
QDateTime rateLimitResetAt(const HttpHeaders &headers, QByteArrayView body, const QDateTime &now);

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::QuotaWindows)
