// SPDX-License-Identifier: MIT
#include "proxy/auth/CrossSiteGuard.h"

#include <QUrl>

namespace Proxy {

QString CrossSiteGuard::normalizedOrigin(QStringView text)
{
    const QUrl url(text.trimmed().toString(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.userInfo().isEmpty()
        || !(url.path().isEmpty() || url.path() == u"/") || url.hasQuery() || url.hasFragment())
        return {};
    const QString scheme = url.scheme().toLower();
    int port = url.port();
    if ((scheme == u"http" && port == 80) || (scheme == u"https" && port == 443))
        port = -1;
    QString origin = scheme + QStringLiteral("://") + url.host(QUrl::FullyEncoded);
    if (port != -1)
        origin += u':' + QString::number(port);
    return origin;
}

QString CrossSiteGuard::refusal(const HttpHeaders &headers, const QStringList &allowedOrigins)
{
    for (const QByteArray &value : headers.values("origin")) {
        const QString origin = normalizedOrigin(QString::fromLatin1(value));
        if (origin.isEmpty() || !allowedOrigins.contains(origin))
            return QStringLiteral("cross-site: Origin %1 is not in allowed-origins")
                .arg(QString::fromLatin1(value.left(200)));
    }
    for (const QByteArray &value : headers.values("sec-fetch-site")) {
        const QByteArray site = value.trimmed().toLower();
        if (site == "cross-site" || site == "same-site")
            return QStringLiteral("cross-site: Sec-Fetch-Site %1").arg(QString::fromLatin1(site));
    }
    return {};
}

} // namespace Proxy
