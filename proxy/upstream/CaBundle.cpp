// SPDX-License-Identifier: MIT
#include "proxy/upstream/CaBundle.h"

#include <QCryptographicHash>
#include <QStringList>

namespace Proxy {

namespace {

/// Qt disables on-demand loading of the system CAs as soon as a configuration gets CAs of its own,
/// so the system list has to be given explicitly next to the extra ones. Read once (thread-safe
/// static initialisation); a CA added to the system later needs a restart, as for most programs.
const QList<QSslCertificate> &systemCertificates()
{
    static const QList<QSslCertificate> certificates = QSslConfiguration::systemCaCertificates();
    return certificates;
}

} // namespace

std::optional<QList<QSslCertificate>> CaBundle::parse(const QByteArray &pem, QString *error)
{
    if (pem.contains("PRIVATE KEY-----")) {
        *error = QStringLiteral("the file holds a private key; give only the CA certificate (PEM)");
        return std::nullopt;
    }
    const qsizetype blocks = pem.count("-----BEGIN CERTIFICATE-----");
    if (blocks == 0) {
        *error = QStringLiteral("no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
        return std::nullopt;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.size() != blocks) {
        *error = QStringLiteral("%1 of %2 PEM certificates could not be read")
                     .arg(blocks - certificates.size())
                     .arg(blocks);
        return std::nullopt;
    }
    for (const QSslCertificate &certificate : certificates) {
        if (certificate.isNull()) {
            *error = QStringLiteral("a PEM certificate could not be read");
            return std::nullopt;
        }
    }
    return certificates;
}

QByteArray CaBundle::toPem(const QList<QSslCertificate> &certificates)
{
    QByteArray out;
    for (const QSslCertificate &certificate : certificates)
        out += certificate.toPem();
    return out;
}

QString CaBundle::fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString CaBundle::describe(const QList<QSslCertificate> &certificates)
{
    QStringList parts;
    for (const QSslCertificate &certificate : certificates) {
        QString name = certificate.subjectInfo(QSslCertificate::CommonName).join(u' ');
        if (name.isEmpty())
            name = certificate.subjectDisplayName();
        const QString hex = fingerprint(certificate);
        parts.append(QStringLiteral("%1 (SHA-256 %2…%3)").arg(name, hex.left(8), hex.right(5)));
    }
    return parts.join(QStringLiteral("; "));
}

QSslConfiguration CaBundle::configurationTrusting(const QList<QSslCertificate> &extra)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(systemCertificates() + extra);
    return configuration;
}

void CaBundle::warmSystemCertificates()
{
    systemCertificates();
}

} // namespace Proxy
