// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QString>
#include <QStringList>

namespace Proxy {

/// Refuses what a browser page sends behind the user's back. A page can reach a loopback proxy (the
/// peer is loopback, Host is `localhost`), but the browser labels its requests: `Origin` on every
/// cross-origin fetch and WebSocket handshake, and `Sec-Fetch-Site`. Coding tools send neither
/// (or `Sec-Fetch-Site: none`/`same-origin`). Pure functions; the allowlist comes from the
/// `allowed-origins` setting (ProxyConfig::allowedOrigins), empty by default.
class CrossSiteGuard final
{
public:
    /// @p text as a browser serialises an origin: `scheme://host[:port]`, scheme and host lowercase,
    /// the scheme's default port (http 80, https 443) dropped; empty when @p text is not such an origin
    /// (a path, query, fragment or userinfo, no host, or the opaque `null`).
    static QString normalizedOrigin(QStringView text);

    /// Empty when the request may go on; else the trace reason, starting `cross-site:`. Refused: any
    /// `Origin` field that is not on @p allowedOrigins (normalised), and `Sec-Fetch-Site: cross-site`
    /// or `same-site` (any case, any occurrence).
    static QString refusal(const HttpHeaders &headers, const QStringList &allowedOrigins);
};

} // namespace Proxy
