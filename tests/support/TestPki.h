// SPDX-License-Identifier: MIT
#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QTemporaryDir>

#include <optional>

namespace TestSupport {

/// Certificates for TLS tests, made with the openssl CLI in a temporary directory: a test CA,
/// leaf certificates it signs for a DNS name, and self-signed leaves. EC P-256, valid one day.
class TestPki final
{
public:
    struct Leaf final
    {
        QSslCertificate certificate;
        QSslKey key;
    };

    /// Makes the CA ("Keygate Test CA"); false with @p why when openssl or a TLS backend is missing.
    bool setUp(QString *why);

    QSslCertificate ca() const { return m_ca; }
    QString caPath() const { return m_dir.filePath(QStringLiteral("ca.pem")); }
    QString dirPath() const { return m_dir.path(); }

    /// A server certificate for @p dnsName (CN and subjectAltName) signed by the CA.
    std::optional<Leaf> issue(const QString &dnsName, QString *why);
    /// A self-signed server certificate for @p dnsName.
    std::optional<Leaf> selfSigned(const QString &dnsName, QString *why);

private:
    bool openssl(const QStringList &arguments, QString *why) const;
    std::optional<Leaf> load(const QString &stem, QString *why) const;

    QTemporaryDir m_dir;
    QString m_openssl;
    QSslCertificate m_ca;
    int m_serial = 1;
};

} // namespace TestSupport
