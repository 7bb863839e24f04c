// SPDX-License-Identifier: MIT
#include "proxy/http/HostHeader.h"
#include "proxy/http/HttpRequestParser.h"

#include <QTest>

using Proxy::HostHeader;
using Proxy::HttpRequestParser;
using Error = HostHeader::Error;

class tst_HostHeader final : public QObject
{
    Q_OBJECT

private slots:
    void parse_validHost_hostAndPort_data();
    void parse_validHost_hostAndPort();
    void parse_invalidHost_namesTheError_data();
    void parse_invalidHost_namesTheError();
    void errorMessage_controlBytes_neverQuoted();
    // The rules as the request parser applies them (tst_httprequestparser.cpp is at its size limit).
    void requestParser_invalidHost_fails400InvalidHost_data();
    void requestParser_invalidHost_fails400InvalidHost();
};

void tst_HostHeader::parse_validHost_hostAndPort_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("localhost") << QByteArray("localhost") << QByteArray("localhost") << -1;
    QTest::newRow("localhost:2455") << QByteArray("localhost:2455") << QByteArray("localhost") << 2455;
    QTest::newRow("LOCALHOST") << QByteArray("LOCALHOST") << QByteArray("LOCALHOST") << -1;
    QTest::newRow("127.0.0.1:80") << QByteArray("127.0.0.1:80") << QByteArray("127.0.0.1") << 80;
    QTest::newRow("0.0.0.0") << QByteArray("0.0.0.0") << QByteArray("0.0.0.0") << -1;
    QTest::newRow("255.255.255.255") << QByteArray("255.255.255.255") << QByteArray("255.255.255.255") << -1;
    QTest::newRow("[::1]:2455") << QByteArray("[::1]:2455") << QByteArray("[::1]") << 2455;
    QTest::newRow("[::1]") << QByteArray("[::1]") << QByteArray("[::1]") << -1;
    QTest::newRow("[::]") << QByteArray("[::]") << QByteArray("[::]") << -1;
    QTest::newRow("[1::]") << QByteArray("[1::]") << QByteArray("[1::]") << -1;
    QTest::newRow("full IPv6") << QByteArray("[2001:db8:0:0:0:0:2:1]:443") << QByteArray("[2001:db8:0:0:0:0:2:1]")
                               << 443;
    QTest::newRow("IPv6 with 7 pieces and ::") << QByteArray("[1:2:3:4:5:6::7]") << QByteArray("[1:2:3:4:5:6::7]")
                                               << -1;
    QTest::newRow("IPv4-mapped IPv6") << QByteArray("[::ffff:127.0.0.1]") << QByteArray("[::ffff:127.0.0.1]") << -1;
    QTest::newRow("IPv6 with IPv4 tail, no ::") << QByteArray("[1:2:3:4:5:6:1.2.3.4]")
                                                << QByteArray("[1:2:3:4:5:6:1.2.3.4]") << -1;
    QTest::newRow("example.com.") << QByteArray("example.com.") << QByteArray("example.com.") << -1;
    QTest::newRow("example.com.:8080") << QByteArray("example.com.:8080") << QByteArray("example.com.") << 8080;
    QTest::newRow("a-b.c") << QByteArray("a-b.c") << QByteArray("a-b.c") << -1;
    QTest::newRow("underscore") << QByteArray("my_host.lan") << QByteArray("my_host.lan") << -1;
    QTest::newRow("digit-led label that is not a number")
        << QByteArray("4f3a2b1c9d8e") << QByteArray("4f3a2b1c9d8e") << -1;
    QTest::newRow("numeric inner label") << QByteArray("1.example.com") << QByteArray("1.example.com") << -1;
    QTest::newRow("port 0") << QByteArray("h:0") << QByteArray("h") << 0;
    QTest::newRow("port 65535") << QByteArray("h:65535") << QByteArray("h") << 65535;
    QTest::newRow("port 00080 (5 digits)") << QByteArray("h:00080") << QByteArray("h") << 80;
    QTest::newRow("label of 63") << QByteArray(63, 'a') + ".com" << QByteArray(63, 'a') + ".com" << -1;
    const QByteArray name253 = QByteArray(63, 'a') + '.' + QByteArray(63, 'b') + '.' + QByteArray(63, 'c') + '.'
                               + QByteArray(61, 'd');
    QTest::newRow("name of 253 plus a trailing dot") << name253 + '.' << name253 + '.' << -1;
}

void tst_HostHeader::parse_validHost_hostAndPort()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, host);
    QFETCH(int, port);

    const HostHeader parsed = HostHeader::parse(value);
    QVERIFY2(parsed.isValid(), parsed.errorMessage());
    QCOMPARE(parsed.error(), Error::None);
    QCOMPARE(parsed.errorMessage(), nullptr);
    QCOMPARE(parsed.host().toByteArray(), host);
    QCOMPARE(parsed.port(), port);
}

void tst_HostHeader::parse_invalidHost_namesTheError_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<Error>("error");

    QTest::newRow("empty") << QByteArray() << Error::Empty;
    QTest::newRow("userinfo") << QByteArray("user@127.0.0.1") << Error::UserInfo;
    QTest::newRow("userinfo with password") << QByteArray("u:p@localhost:2455") << Error::UserInfo;
    QTest::newRow("space inside") << QByteArray("127.0.0.1 x") << Error::Whitespace;
    QTest::newRow("tab inside") << QByteArray("localhost\t:80") << Error::Whitespace;
    QTest::newRow("percent-encoded name") << QByteArray("%6cocalhost") << Error::PercentSign;
    QTest::newRow("percent-encoded digit") << QByteArray("%3127.0.0.1") << Error::PercentSign;
    QTest::newRow("IPv6 zone id") << QByteArray("[fe80::1%25eth0]") << Error::PercentSign;
    QTest::newRow("sub-delim") << QByteArray("a,b") << Error::BadCharacter;
    QTest::newRow("tilde") << QByteArray("~h") << Error::BadCharacter;
    QTest::newRow("slash") << QByteArray("h/x") << Error::BadCharacter;
    QTest::newRow("obs-text") << QByteArray("caf\xc3\xa9") << Error::BadCharacter;
    QTest::newRow("IPv6 without brackets") << QByteArray("::1") << Error::UnbracketedIPv6;
    QTest::newRow("IPv6 without brackets, with port") << QByteArray("::1:80") << Error::UnbracketedIPv6;
    QTest::newRow("link-local without brackets") << QByteArray("fe80::1") << Error::UnbracketedIPv6;
    QTest::newRow("two ports") << QByteArray("h:80:81") << Error::UnbracketedIPv6;
    QTest::newRow("unclosed bracket") << QByteArray("[::1") << Error::UnbalancedBrackets;
    QTest::newRow("unopened bracket") << QByteArray("::1]") << Error::UnbalancedBrackets;
    QTest::newRow("bracket inside a name") << QByteArray("a[::1]") << Error::UnbalancedBrackets;
    QTest::newRow("two opening brackets") << QByteArray("[[::1]") << Error::UnbalancedBrackets;
    QTest::newRow("two closing brackets") << QByteArray("[::1]]") << Error::UnbalancedBrackets;
    QTest::newRow("IPv4 in brackets") << QByteArray("[127.0.0.1]") << Error::BadIPLiteral;
    QTest::newRow("IPvFuture") << QByteArray("[v1.fe]") << Error::BadIPLiteral;
    QTest::newRow("empty brackets") << QByteArray("[]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 too many pieces") << QByteArray("[1:2:3:4:5:6:7:8:9]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 too few pieces") << QByteArray("[1:2:3:4:5:6:7]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 :: with 8 pieces") << QByteArray("[1:2:3:4::5:6:7:8]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 two ::") << QByteArray("[1::2::3]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 five hex digits") << QByteArray("[12345::1]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 trailing single colon") << QByteArray("[1:2:3:4:5:6:7:]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 leading single colon") << QByteArray("[:1:2:3:4:5:6:7]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 bad IPv4 tail") << QByteArray("[::ffff:127.0.0.256]") << Error::BadIPLiteral;
    QTest::newRow("IPv6 too long") << "[" + QByteArray(60, '0') + "::1]" << Error::BadIPLiteral;
    QTest::newRow("garbage after ]") << QByteArray("[::1]x") << Error::JunkAfterBracket;
    QTest::newRow("name after ]") << QByteArray("[::1].evil.com") << Error::JunkAfterBracket;
    QTest::newRow("port only") << QByteArray(":80") << Error::MissingHost;
    QTest::newRow("empty label") << QByteArray("a..b") << Error::EmptyLabel;
    QTest::newRow("two trailing dots") << QByteArray("localhost..") << Error::EmptyLabel;
    QTest::newRow("leading dot") << QByteArray(".localhost") << Error::EmptyLabel;
    QTest::newRow("dot alone") << QByteArray(".") << Error::EmptyLabel;
    QTest::newRow("label of 64") << QByteArray(64, 'a') + ".com" << Error::LabelTooLong;
    QTest::newRow("name of 254")
        << QByteArray(63, 'a') + '.' + QByteArray(63, 'b') + '.' + QByteArray(63, 'c') + '.' + QByteArray(62, 'd')
        << Error::NameTooLong;
    QTest::newRow("short IPv4") << QByteArray("127.1") << Error::NumericName;
    QTest::newRow("IPv4 as one number") << QByteArray("2130706433") << Error::NumericName;
    QTest::newRow("hex IPv4") << QByteArray("0x7f000001") << Error::NumericName;
    QTest::newRow("hex last part") << QByteArray("127.0.0.0x1") << Error::NumericName;
    QTest::newRow("IPv4 octet over 255") << QByteArray("256.0.0.1") << Error::NumericName;
    QTest::newRow("IPv4 leading zero") << QByteArray("127.0.0.01") << Error::NumericName;
    QTest::newRow("IPv4 five parts") << QByteArray("1.2.3.4.5") << Error::NumericName;
    QTest::newRow("IPv4 with trailing dot") << QByteArray("127.0.0.1.") << Error::NumericName;
    QTest::newRow("empty port") << QByteArray("127.0.0.1:") << Error::EmptyPort;
    QTest::newRow(": alone") << QByteArray(":") << Error::MissingHost;
    QTest::newRow("IPv6 empty port") << QByteArray("[::1]:") << Error::EmptyPort;
    QTest::newRow("port with letters") << QByteArray("h:8o") << Error::BadPort;
    QTest::newRow("port with a dot") << QByteArray("h:80.5") << Error::BadPort;
    QTest::newRow("IPv6 two ports") << QByteArray("[::1]:80:81") << Error::BadPort;
    QTest::newRow("port 65536") << QByteArray("h:65536") << Error::PortOutOfRange;
    QTest::newRow("port 99999") << QByteArray("127.0.0.1:99999") << Error::PortOutOfRange;
    QTest::newRow("leading-zero monster port") << QByteArray("h:000000000080") << Error::PortOutOfRange;
    QTest::newRow("port past int") << QByteArray("h:99999999999999999999") << Error::PortOutOfRange;
}

void tst_HostHeader::parse_invalidHost_namesTheError()
{
    QFETCH(QByteArray, value);
    QFETCH(Error, error);

    const HostHeader parsed = HostHeader::parse(value);
    QVERIFY(!parsed.isValid());
    QCOMPARE(parsed.error(), error);
    QVERIFY(parsed.host().isEmpty());
    QCOMPARE(parsed.port(), -1);
    const QByteArray message(parsed.errorMessage());
    QVERIFY2(message.startsWith("Invalid Host: "), message.constData());
}

void tst_HostHeader::errorMessage_controlBytes_neverQuoted()
{
    // The front end already refuses CTLs in field values; the message must not echo the value anyway.
    const QByteArray value("evil\x1b[31m@127.0.0.1");
    const HostHeader parsed = HostHeader::parse(value);
    QVERIFY(!parsed.isValid());
    const QByteArray message(parsed.errorMessage());
    QVERIFY(!message.contains("evil"));
    for (const char c : message)
        QVERIFY(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f);
}

void tst_HostHeader::requestParser_invalidHost_fails400InvalidHost_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("message"); // a part of what the message must say
    const auto row = [](const char *host, const QByteArray &message) {
        QTest::newRow(host) << "GET /v1/models HTTP/1.1\r\nHost: " + QByteArray(host) + "\r\nX-A: b\r\n\r\n" << message;
    };
    row("user@127.0.0.1", "userinfo");
    row("127.0.0.1 x", "spaces");
    row("127.0.0.1:", "without a port");
    row("127.0.0.1:65536", "0 to 65535");
    row("::1", "brackets");
    row("::1:80", "brackets");
    row("%3127.0.0.1", "'%'");
    row("localhost..", "empty label");
    row("[::1]x", "may follow ']'");
    row("", "empty");
    QTest::newRow("empty on HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\nHost:  \r\n\r\n") << QByteArray("empty");
    QTest::newRow("valid, then invalid")
        << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\nHost: user@localhost\r\n\r\n") << QByteArray("userinfo");
}

void tst_HostHeader::requestParser_invalidHost_fails400InvalidHost()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, message);

    for (const qsizetype step : {head.size(), qsizetype(1)}) { // whole, then byte by byte
        HttpRequestParser parser;
        HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
        for (qsizetype i = 0; i < head.size() && status == HttpRequestParser::Status::NeedMore; i += step) {
            parser.append(QByteArrayView(head).sliced(i, qMin(step, head.size() - i)));
            status = parser.parse();
        }
        QCOMPARE(status, HttpRequestParser::Status::Error);
        QCOMPARE(parser.errorStatus(), 400);
        QCOMPARE(parser.errorCode(), QStringLiteral("invalid_host"));
        const QString text = parser.errorMessage();
        QVERIFY2(text.startsWith(u"Invalid Host: ") && text.contains(QString::fromLatin1(message)), qPrintable(text));
    }
}

QTEST_APPLESS_MAIN(tst_HostHeader)
#include "tst_hostheader.moc"
