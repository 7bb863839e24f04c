// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"
#include "proxy/upstream/UpstreamExchange.h"

namespace Proxy {

/// Turns a client request into the upstream request: the upstream's own credential replaces every
/// client credential; hop-by-hop, forwarding and client key headers never leave the proxy.
class UpstreamRequestBuilder final
{
public:
    explicit UpstreamRequestBuilder(const UpstreamConfig &upstream) : m_upstream(upstream) {}

    /// POST {base}/codex/responses (codex) or {base}/responses (openai).
    UpstreamRequest responses(const HttpHeaders &clientHeaders, const QByteArray &body) const;
    /// GET {base}/codex/models?client_version=… (codex) or {base}/models (openai).
    UpstreamRequest models(const HttpHeaders &clientHeaders) const;

    /// The client headers that may pass through to the upstream.
    static HttpHeaders forwardableHeaders(const HttpHeaders &clientHeaders);
    /// The upstream response headers that may pass back to the client.
    static HttpHeaders returnableHeaders(const HttpHeaders &upstreamHeaders);

private:
    QUrl endpoint(const QString &codexPath, const QString &openaiPath) const;
    void addCredentials(HttpHeaders &headers) const;

    UpstreamConfig m_upstream;
};

} // namespace Proxy
