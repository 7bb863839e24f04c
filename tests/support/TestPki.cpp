// SPDX-License-Identifier: MIT
#include "tests/support/TestPki.h"

#include <QFile>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>

namespace TestSupport {

namespace {

const QStringList EcKey = {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                           QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

bool TestPki::setUp(QString *why)
{
    m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (m_openssl.isEmpty() || !QSslSocket::supportsSsl() || !m_dir.isValid()) {
        *why = QStringLiteral("needs the openssl CLI and a TLS backend");
        return false;
    }
    // `req -x509` marks the certificate CA:TRUE (Debian's v3_ca section).
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + EcKey
                     + QStringList{QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("ca.key")),
                                   QStringLiteral("-out"), caPath(), QStringLiteral("-days"), QStringLiteral("2"),
                                   QStringLiteral("-subj"), QStringLiteral("/CN=Keygate Test CA")},
                 why))
        return false;
    m_ca = QSslCertificate(readAll(caPath()), QSsl::Pem);
    if (m_ca.isNull()) {
        *why = QStringLiteral("the test CA could not be read");
        return false;
    }
    return true;
}

std::optional<TestPki::Leaf> TestPki::issue(const QString &dnsName, QString *why)
{
    const QString stem = m_dir.filePath(QStringLiteral("leaf%1").arg(++m_serial));
    QFile extensions(stem + QStringLiteral(".ext"));
    if (!extensions.open(QIODevice::WriteOnly)) {
        *why = extensions.errorString();
        return std::nullopt;
    }
    extensions.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:"
                     + dnsName.toUtf8() + '\n');
    extensions.close();
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-new")} + EcKey
                     + QStringList{QStringLiteral("-keyout"), stem + QStringLiteral(".key"), QStringLiteral("-out"),
                                   stem + QStringLiteral(".csr"), QStringLiteral("-subj"),
                                   QStringLiteral("/CN=") + dnsName},
                 why)
        || !openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), stem + QStringLiteral(".csr"),
                     QStringLiteral("-CA"), caPath(), QStringLiteral("-CAkey"), m_dir.filePath(QStringLiteral("ca.key")),
                     QStringLiteral("-set_serial"), QString::number(m_serial), QStringLiteral("-days"),
                     QStringLiteral("1"), QStringLiteral("-extfile"), stem + QStringLiteral(".ext"),
                     QStringLiteral("-out"), stem + QStringLiteral(".pem")},
                    why))
        return std::nullopt;
    return load(stem, why);
}

std::optional<TestPki::Leaf> TestPki::selfSigned(const QString &dnsName, QString *why)
{
    const QString stem = m_dir.filePath(QStringLiteral("self%1").arg(++m_serial));
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + EcKey
                     + QStringList{QStringLiteral("-keyout"), stem + QStringLiteral(".key"), QStringLiteral("-out"),
                                   stem + QStringLiteral(".pem"), QStringLiteral("-days"), QStringLiteral("1"),
                                   QStringLiteral("-subj"), QStringLiteral("/CN=") + dnsName, QStringLiteral("-addext"),
                                   QStringLiteral("subjectAltName=DNS:") + dnsName},
                 why))
        return std::nullopt;
    return load(stem, why);
}

bool TestPki::openssl(const QStringList &arguments, QString *why) const
{
    QProcess process;
    process.start(m_openssl, arguments);
    if (!process.waitForFinished(20'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *why = QStringLiteral("openssl %1 failed: %2")
                   .arg(arguments.constFirst(), QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

std::optional<TestPki::Leaf> TestPki::load(const QString &stem, QString *why) const
{
    Leaf leaf{QSslCertificate(readAll(stem + QStringLiteral(".pem")), QSsl::Pem),
              QSslKey(readAll(stem + QStringLiteral(".key")), QSsl::Ec, QSsl::Pem)};
    if (leaf.certificate.isNull() || leaf.key.isNull()) {
        *why = QStringLiteral("cannot read the generated certificate %1").arg(stem);
        return std::nullopt;
    }
    return leaf;
}

} // namespace TestSupport
