// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QString>

namespace Proxy {

/// The key that keeps a conversation on one account: the body's top-level `prompt_cache_key`
/// ("cache:<key>"), else the `session_id` / `session-id` / `x-codex-session-id` header
/// ("session:<id>"); empty when the request carries neither (no stickiness).
QString stickyKeyFor(const HttpHeaders &headers, const QString &promptCacheKey);

} // namespace Proxy
