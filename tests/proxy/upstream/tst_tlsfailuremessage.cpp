// SPDX-License-Identifier: MIT
// Unit: the certificate errors of a refused upstream handshake become one plain sentence.
#include "proxy/upstream/TlsFailureMessage.h"

#include <QTest>

using namespace Proxy;

class tst_TlsFailureMessage final : public QObject
{
    Q_OBJECT

private slots:
    void describe_eachError_namesItsCause_data();
    void describe_eachError_namesItsCause();
    void describe_mismatchAndUnknownIssuer_mismatchFirstJoinedWithAnd();
    void describe_selfSignedWithChainErrors_saysSelfSignedOnce();
    void describe_noErrors_empty();
};

void tst_TlsFailureMessage::describe_eachError_namesItsCause_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, QSslError::SslError error, const char *expected) {
        QTest::newRow(name) << int(error) << QString::fromUtf8(expected);
    };
    row("mismatch", QSslError::HostNameMismatch, "upstream TLS certificate does not match api.example.com");
    row("self-signed", QSslError::SelfSignedCertificate, "upstream TLS certificate is self-signed and not trusted");
    row("self-signed in chain", QSslError::SelfSignedCertificateInChain, "upstream TLS certificate is not trusted");
    row("no local issuer", QSslError::UnableToGetLocalIssuerCertificate, "upstream TLS certificate is not trusted");
    row("no issuer", QSslError::UnableToGetIssuerCertificate, "upstream TLS certificate is not trusted");
    row("expired", QSslError::CertificateExpired, "upstream TLS certificate has expired");
    row("not yet valid", QSslError::CertificateNotYetValid, "upstream TLS certificate is not yet valid");
    row("revoked", QSslError::CertificateRevoked, "upstream TLS certificate has been revoked");
    row("purpose", QSslError::InvalidPurpose, "upstream TLS certificate is not meant for a TLS server");
    row("other", QSslError::CertificateSignatureFailed, "upstream TLS certificate was refused (");
}

void tst_TlsFailureMessage::describe_eachError_namesItsCause()
{
    QFETCH(int, error);
    QFETCH(QString, expected);
    const QString message =
        TlsFailureMessage::describe({QSslError(QSslError::SslError(error))}, QStringLiteral("api.example.com"));
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void tst_TlsFailureMessage::describe_mismatchAndUnknownIssuer_mismatchFirstJoinedWithAnd()
{
    const QString message = TlsFailureMessage::describe(
        {QSslError(QSslError::UnableToGetLocalIssuerCertificate), QSslError(QSslError::UnableToVerifyFirstCertificate),
         QSslError(QSslError::HostNameMismatch)},
        QStringLiteral("localhost"));
    QVERIFY2(message.startsWith(u"upstream TLS certificate does not match localhost and is not trusted"),
             qPrintable(message));
    QCOMPARE(message.count(u"not trusted"), 1);
}

void tst_TlsFailureMessage::describe_selfSignedWithChainErrors_saysSelfSignedOnce()
{
    const QString message = TlsFailureMessage::describe(
        {QSslError(QSslError::SelfSignedCertificate), QSslError(QSslError::UnableToGetLocalIssuerCertificate)},
        QStringLiteral("localhost"));
    QCOMPARE(message, QStringLiteral("upstream TLS certificate is self-signed and not trusted"));
}

void tst_TlsFailureMessage::describe_noErrors_empty()
{
    QVERIFY(TlsFailureMessage::describe({}, QStringLiteral("localhost")).isEmpty());
}

QTEST_GUILESS_MAIN(tst_TlsFailureMessage)
#include "tst_tlsfailuremessage.moc"
