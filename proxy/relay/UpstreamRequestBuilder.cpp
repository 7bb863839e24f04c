// SPDX-License-Identifier: MIT
#include "proxy/relay/UpstreamRequestBuilder.h"

#include "proxy/http/HttpSyntax.h"

namespace Proxy {

namespace {

// Never forwarded: client credentials, hop-by-hop and framing headers, forwarding headers, and the
// account headers the upstream credential owns (OpenAI-Organization / OpenAI-Project pick who an
// OpenAI-compatible upstream bills, so a client must not choose them).
constexpr QByteArrayView BlockedRequestHeaders[] = {
    "authorization", "x-api-key", "api-key", "openai-api-key", "cookie", "proxy-authorization",
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    "expect", "host", "content-length", "accept-encoding", "forwarded", "x-real-ip", "true-client-ip",
    "chatgpt-account-id", "openai-organization", "openai-project", "x-request-id-internal"};

// The upstream's organization and project name the account behind the proxy: not the client's business.
constexpr QByteArrayView BlockedResponseHeaders[] = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length", "set-cookie",
    "date", "server", "alt-svc", "strict-transport-security", "trailer", "upgrade", "openai-organization",
    "openai-project"};

template<qsizetype N>
bool isListed(QByteArrayView name, const QByteArrayView (&list)[N])
{
    for (QByteArrayView blocked : list)
        if (HttpHeaders::sameName(name, blocked))
            return true;
    return false;
}

QString joinPath(const QUrl &base, const QString &suffix)
{
    QString path = base.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    return path + suffix;
}

} // namespace

using HttpSyntax::startsWithNoCase;

HttpHeaders UpstreamRequestBuilder::forwardableHeaders(const HttpHeaders &clientHeaders)
{
    HttpHeaders out;
    for (const auto &[name, value] : clientHeaders.fields()) {
        // Headers the client named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
        if (isListed(name, BlockedRequestHeaders) || startsWithNoCase(name, "x-forwarded-")
            || startsWithNoCase(name, "cf-") || HttpSyntax::listContains(clientHeaders, "connection", name))
            continue;
        out.append(name, value);
    }
    return out;
}

HttpHeaders UpstreamRequestBuilder::returnableHeaders(const HttpHeaders &upstreamHeaders)
{
    HttpHeaders out;
    for (const auto &[name, value] : upstreamHeaders.fields()) {
        if (isListed(name, BlockedResponseHeaders) || startsWithNoCase(name, "cf-"))
            continue;
        out.append(name, value);
    }
    return out;
}

QUrl UpstreamRequestBuilder::endpoint(const QString &codexPath, const QString &openaiPath) const
{
    QUrl url = m_upstream.baseUrl;
    url.setPath(joinPath(url, m_upstream.kind == UpstreamConfig::Kind::Codex ? codexPath : openaiPath));
    return url;
}

void UpstreamRequestBuilder::addCredentials(HttpHeaders &headers) const
{
    headers.append("Authorization", "Bearer " + m_upstream.token);
    if (m_upstream.kind == UpstreamConfig::Kind::Codex && !m_upstream.accountId.isEmpty())
        headers.append("chatgpt-account-id", m_upstream.accountId.toUtf8());
}

UpstreamRequest UpstreamRequestBuilder::responses(const HttpHeaders &clientHeaders, const QByteArray &body) const
{
    UpstreamRequest request;
    request.method = "POST";
    request.url = endpoint(QStringLiteral("/codex/responses"), QStringLiteral("/responses"));
    request.headers = forwardableHeaders(clientHeaders);
    addCredentials(request.headers);
    // The proxy reads the SSE for usage, so it asks for plain bytes.
    request.headers.append("Accept-Encoding", "identity");
    if (!request.headers.contains("content-type"))
        request.headers.append("Content-Type", "application/json");
    request.body = body;
    request.caCertificates = m_upstream.caCertificates;
    return request;
}

UpstreamRequest UpstreamRequestBuilder::models(const HttpHeaders &clientHeaders) const
{
    UpstreamRequest request;
    request.method = "GET";
    request.url = endpoint(QStringLiteral("/codex/models"), QStringLiteral("/models"));
    if (m_upstream.kind == UpstreamConfig::Kind::Codex)
        request.url.setQuery(QStringLiteral("client_version=0.171.0"));
    const QByteArray userAgent = clientHeaders.value("user-agent");
    if (!userAgent.isEmpty())
        request.headers.append("User-Agent", userAgent);
    request.headers.append("Accept", "application/json");
    request.headers.append("Accept-Encoding", "identity");
    addCredentials(request.headers);
    request.caCertificates = m_upstream.caCertificates;
    return request;
}

} // namespace Proxy
