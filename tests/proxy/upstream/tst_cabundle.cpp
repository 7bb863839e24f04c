// SPDX-License-Identifier: MIT
// Unit: a custom CA bundle is read strictly from PEM, described without secrets, and trusted next to
// the system CAs (never instead of them).
#include "proxy/upstream/CaBundle.h"
#include "tests/support/TestPki.h"

#include <QFile>
#include <QTest>

using namespace Proxy;

class tst_CaBundle final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parse_oneAndTwoCertificates_allRead();
    void parse_noCertificate_refusedWithReason();
    void parse_privateKeyInText_refused();
    void parse_brokenBlock_refused();
    void toPem_keepsOnlyTheCertificates();
    void describe_namesSubjectAndFingerprint();
    void configurationTrusting_systemCasPlusExtra();

private:
    TestSupport::TestPki m_pki;
    QByteArray m_caPem;
};

void tst_CaBundle::initTestCase()
{
    QString why;
    if (!m_pki.setUp(&why))
        QSKIP(qPrintable(why));
    m_caPem = m_pki.ca().toPem();
}

void tst_CaBundle::parse_oneAndTwoCertificates_allRead()
{
    QString error;
    const auto one = CaBundle::parse(m_caPem, &error);
    QVERIFY2(one, qPrintable(error));
    QCOMPARE(one->size(), 1);
    QCOMPARE(one->constFirst(), m_pki.ca());
    QString why;
    const auto leaf = m_pki.issue(QStringLiteral("localhost"), &why);
    QVERIFY2(leaf, qPrintable(why));
    const auto two = CaBundle::parse("comment line\n" + m_caPem + leaf->certificate.toPem(), &error);
    QVERIFY2(two, qPrintable(error));
    QCOMPARE(two->size(), 2);
}

void tst_CaBundle::parse_noCertificate_refusedWithReason()
{
    QString error;
    QVERIFY(!CaBundle::parse({}, &error));
    QVERIFY2(error.contains(u"no PEM certificate"), qPrintable(error));
    QVERIFY(!CaBundle::parse(m_pki.ca().toDer(), &error)); // DER is not PEM
    QVERIFY2(error.contains(u"no PEM certificate"), qPrintable(error));
}

void tst_CaBundle::parse_privateKeyInText_refused()
{
    QFile key(m_pki.dirPath() + QStringLiteral("/ca.key"));
    QVERIFY(key.open(QIODevice::ReadOnly));
    QString error;
    QVERIFY(!CaBundle::parse(m_caPem + key.readAll(), &error));
    QVERIFY2(error.contains(u"private key"), qPrintable(error));
}

void tst_CaBundle::parse_brokenBlock_refused()
{
    QByteArray broken = m_caPem;
    broken.replace(40, 20, QByteArray(20, '!'));
    QString error;
    QVERIFY(!CaBundle::parse(m_caPem + broken, &error));
    QVERIFY2(error.contains(u"1 of 2"), qPrintable(error));
}

void tst_CaBundle::toPem_keepsOnlyTheCertificates()
{
    QString error;
    const auto parsed = CaBundle::parse("# the company CA\n" + m_caPem + "trailing words\n", &error);
    QVERIFY(parsed);
    const QByteArray pem = CaBundle::toPem(*parsed);
    QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    QVERIFY(!pem.contains("company") && !pem.contains("trailing"));
    QCOMPARE(QSslCertificate::fromData(pem, QSsl::Pem), *parsed);
}

void tst_CaBundle::describe_namesSubjectAndFingerprint()
{
    const QString text = CaBundle::describe({m_pki.ca()});
    QVERIFY2(text.startsWith(u"Keygate Test CA (SHA-256 "), qPrintable(text));
    QVERIFY2(text.contains(CaBundle::fingerprint(m_pki.ca()).left(8)), qPrintable(text));
}

void tst_CaBundle::configurationTrusting_systemCasPlusExtra()
{
    const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    const QList<QSslCertificate> trusted = CaBundle::configurationTrusting({m_pki.ca()}).caCertificates();
    QVERIFY(trusted.contains(m_pki.ca()));
    QCOMPARE(trusted.size(), system.size() + 1); // the system CAs stay trusted
    for (const QSslCertificate &certificate : system)
        QVERIFY(trusted.contains(certificate));
    QCOMPARE(CaBundle::configurationTrusting({m_pki.ca()}).peerVerifyMode(),
             QSslConfiguration::defaultConfiguration().peerVerifyMode());
}

QTEST_GUILESS_MAIN(tst_CaBundle)
#include "tst_cabundle.moc"
