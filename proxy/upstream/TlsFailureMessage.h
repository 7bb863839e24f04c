// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QSslError>
#include <QString>

namespace Proxy {

/// Names why an upstream's TLS certificate was refused, in words a client can act on:
/// "upstream TLS certificate does not match api.example.com". Verification stays on; this only
/// explains the refusal (the errors QSslSocket::sslErrors / QNetworkReply::sslErrors reported).
class TlsFailureMessage final
{
public:
    /// One sentence for @p errors of a handshake with @p host; empty when @p errors is empty.
    /// Several causes are joined ("does not match x and has expired"), each named once.
    static QString describe(const QList<QSslError> &errors, const QString &host);
};

} // namespace Proxy
