// SPDX-License-Identifier: MIT
#include "proxy/relay/UpstreamFailure.h"

#include "proxy/ErrorEnvelope.h"

#include <QUrl>

namespace Proxy {

namespace {

constexpr qsizetype MaxNamedChars = 200;

/// Printable ASCII only, capped: the value comes from a hostile upstream and goes into a message.
QString printable(QByteArrayView text)
{
    QString out;
    for (const char c : text.first(std::min(text.size(), MaxNamedChars)))
        out.append(c >= 0x20 && c < 0x7f ? QChar(QLatin1Char(c)) : QChar(u'?'));
    return text.size() > MaxNamedChars ? out + QStringLiteral("…") : out;
}

/// Where a redirect points, without user info, query or fragment (those may carry credentials).
QString redirectTarget(const QByteArray &location)
{
    const QUrl url = QUrl::fromEncoded(location);
    if (!url.isValid() || url.isEmpty())
        return printable(location.left(location.indexOf('?')));
    return printable(url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toEncoded());
}

} // namespace

UpstreamFailure UpstreamFailure::fromError(const UpstreamError &error)
{
    switch (error.kind) {
    case UpstreamError::Kind::Timeout:
        return {504, QStringLiteral("upstream_timeout"), QStringLiteral("The upstream did not answer in time: ") + error.message};
    case UpstreamError::Kind::Protocol:
        return {502, QStringLiteral("upstream_protocol_error"),
                QStringLiteral("The upstream sent an answer Keygate cannot relay: ") + error.message};
    case UpstreamError::Kind::ConnectFailed:
    case UpstreamError::Kind::ConnectionClosed:
        break;
    }
    return {502, QStringLiteral("upstream_unavailable"), QStringLiteral("The upstream could not be reached: ") + error.message};
}

std::optional<UpstreamFailure> UpstreamFailure::refusedHead(int status, const HttpHeaders &headers)
{
    if (status >= 300 && status < 400) {
        const QByteArray location = headers.value("location");
        const QString where = location.isEmpty() ? QStringLiteral("no Location") : redirectTarget(location);
        return UpstreamFailure{502, QStringLiteral("upstream_redirect"),
                               QStringLiteral("upstream redirected (%1) to %2; Keygate does not follow redirects")
                                   .arg(status)
                                   .arg(where)};
    }
    const QByteArray coding = contentCoding(headers);
    if (!coding.isEmpty())
        return UpstreamFailure{502, QStringLiteral("upstream_encoded_body"),
                               QStringLiteral("upstream sent a %1-encoded body although Keygate asked for identity")
                                   .arg(printable(coding))};
    return std::nullopt;
}

QByteArray UpstreamFailure::contentCoding(const HttpHeaders &headers)
{
    QByteArrayList codings;
    for (const QByteArray &value : headers.values("content-encoding"))
        for (const QByteArray &part : value.split(',')) {
            const QByteArray coding = part.trimmed().toLower();
            if (!coding.isEmpty() && coding != "identity")
                codings.append(coding);
        }
    return codings.join(", ");
}

QByteArray UpstreamFailure::body() const
{
    return errorEnvelope(message, QStringLiteral("server_error"), code);
}

} // namespace Proxy
