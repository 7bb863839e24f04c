// SPDX-License-Identifier: MIT
#include "proxy/auth/RequestLocality.h"

namespace Proxy {

namespace {

QByteArrayView hostnameOf(QByteArrayView host)
{
    host = host.trimmed();
    if (host.startsWith('[')) {
        const auto close = host.indexOf(']');
        return close < 0 ? QByteArrayView() : host.first(close + 1);
    }
    const auto colon = host.indexOf(':');
    return colon < 0 ? host : host.first(colon);
}

bool isLocalHostname(QByteArrayView name)
{
    return name.compare("localhost", Qt::CaseInsensitive) == 0 || name == "127.0.0.1" || name == "[::1]"
           || name == "::1";
}

} // namespace

bool isLocalRequest(const QHostAddress &peer, const HttpHeaders &headers)
{
    if (!peer.isLoopback())
        return false;
    const QList<QByteArray> hosts = headers.values("host");
    if (hosts.size() != 1 || !isLocalHostname(hostnameOf(hosts.first())))
        return false;
    return !headers.contains("x-forwarded-for") && !headers.contains("forwarded")
           && !headers.contains("x-real-ip");
}

} // namespace Proxy
