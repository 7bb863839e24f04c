// SPDX-License-Identifier: MIT
#include "proxy/auth/RequestLocality.h"

#include <QTest>

using Proxy::HttpHeaders;

class tst_RequestLocality final : public QObject
{
    Q_OBJECT

private slots:
    void isLocalRequest_host_data();
    void isLocalRequest_host();
    void isLocalRequest_twoLocalHosts_notLocal();
};

void tst_RequestLocality::isLocalRequest_host_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("local");

    QTest::newRow("localhost") << QByteArray("localhost") << true;
    QTest::newRow("LocalHost:2455") << QByteArray("LocalHost:2455") << true;
    QTest::newRow("127.0.0.1:2455") << QByteArray("127.0.0.1:2455") << true;
    QTest::newRow("[::1]:2455") << QByteArray("[::1]:2455") << true;
    QTest::newRow("[::1]") << QByteArray("[::1]") << true;
    // Other spellings are never local, however they resolve.
    QTest::newRow("trailing dot") << QByteArray("localhost.") << false;
    QTest::newRow("trailing dot with port") << QByteArray("localhost.:2455") << false;
    QTest::newRow("percent-encoded") << QByteArray("%6cocalhost") << false;
    QTest::newRow("percent-encoded IPv4") << QByteArray("%3127.0.0.1") << false;
    QTest::newRow("short IPv4") << QByteArray("127.1") << false;
    QTest::newRow("IPv4 as a number") << QByteArray("2130706433") << false;
    QTest::newRow("long IPv6 loopback") << QByteArray("[0:0:0:0:0:0:0:1]") << false;
    QTest::newRow("IPv6 without brackets") << QByteArray("::1") << false;
    QTest::newRow("userinfo before localhost") << QByteArray("evil.com@localhost") << false;
    QTest::newRow("localhost with junk port") << QByteArray("localhost:abc") << false;
    QTest::newRow("[::1] with junk after") << QByteArray("[::1]evil") << false;
    QTest::newRow("subdomain of localhost") << QByteArray("evil.localhost") << false;
    QTest::newRow("localhost as a prefix") << QByteArray("localhost.evil.com") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_RequestLocality::isLocalRequest_host()
{
    QFETCH(QByteArray, host);
    QFETCH(bool, local);

    HttpHeaders headers;
    headers.append("Host", host);
    QCOMPARE(Proxy::isLocalRequest(QHostAddress::LocalHost, headers), local);
    QVERIFY(!Proxy::isLocalRequest(QHostAddress(QStringLiteral("10.0.0.7")), headers));
}

void tst_RequestLocality::isLocalRequest_twoLocalHosts_notLocal()
{
    HttpHeaders headers;
    headers.append("Host", "localhost");
    headers.append("Host", "localhost");
    QVERIFY(!Proxy::isLocalRequest(QHostAddress::LocalHost, headers));
}

QTEST_APPLESS_MAIN(tst_RequestLocality)
#include "tst_requestlocality.moc"
