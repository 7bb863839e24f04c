// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace Proxy {

/// Extra CA certificates an account trusts besides the system's (a company CA in front of an
/// OpenAI-compatible upstream): read from PEM, shown without secrets, turned into the TLS
/// configuration of that account's connections. Verification stays on.
class CaBundle final
{
public:
    /// The certificates of @p pem (one or more `BEGIN CERTIFICATE` blocks), or nothing with
    /// @p error set: no certificate, a block that does not parse, or a private key in the text
    /// (a key must never end up in the database).
    static std::optional<QList<QSslCertificate>> parse(const QByteArray &pem, QString *error);
    /// The certificates as PEM, one block each (nothing else of the file is kept).
    static QByteArray toPem(const QList<QSslCertificate> &certificates);
    /// "Acme Root CA (SHA-256 3F:9A:…:C2)" per certificate, joined with "; ".
    static QString describe(const QList<QSslCertificate> &certificates);
    static QString fingerprint(const QSslCertificate &certificate); ///< SHA-256, colon-separated hex

    /// The default client configuration trusting the system CAs plus @p extra. The system CAs are
    /// read from disk once per process (see warmSystemCertificates()).
    static QSslConfiguration configurationTrusting(const QList<QSslCertificate> &extra);
    /// Reads the system CAs now (main thread, while loading accounts) so the proxy thread never does.
    static void warmSystemCertificates();
};

} // namespace Proxy
