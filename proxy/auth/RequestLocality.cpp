// SPDX-License-Identifier: MIT
#include "proxy/auth/RequestLocality.h"

#include "proxy/http/HostHeader.h"

namespace Proxy {

namespace {

/// Exactly the three loopback spellings, by the same grammar the front end enforces (HostHeader).
/// Everything else, however it resolves, is not local: `localhost.` (a trailing dot), other
/// spellings of a loopback address (`[0:0:0:0:0:0:0:1]`, `127.0.0.2`), `%6cocalhost` (refused by
/// HostHeader, never decoded).
bool isLocalHost(QByteArrayView value)
{
    const HostHeader host = HostHeader::parse(value);
    const QByteArrayView name = host.host();
    return host.isValid()
           && (name.compare("localhost", Qt::CaseInsensitive) == 0 || name == "127.0.0.1" || name == "[::1]");
}

} // namespace

bool isLocalRequest(const QHostAddress &peer, const HttpHeaders &headers)
{
    if (!peer.isLoopback())
        return false;
    const QList<QByteArray> hosts = headers.values("host");
    if (hosts.size() != 1 || !isLocalHost(hosts.first()))
        return false;
    return !headers.contains("x-forwarded-for") && !headers.contains("forwarded")
           && !headers.contains("x-real-ip");
}

} // namespace Proxy
