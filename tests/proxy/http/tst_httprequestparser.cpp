// SPDX-License-Identifier: MIT
#include "proxy/http/HttpRequestParser.h"

#include <QTest>

using Proxy::HttpLimits;
using Proxy::HttpRequest;
using Proxy::HttpRequestParser;

namespace {

HttpLimits testLimits()
{
    HttpLimits limits;
    limits.maxBodyBytes = 1000;
    limits.maxHeaderBytes = 1024;
    limits.maxHeaderCount = 10;
    return limits;
}

struct Outcome
{
    HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
    int errorStatus = 0;
    HttpRequest request;
    bool keepAlive = false;
};

Outcome parseWhole(const QByteArray &input)
{
    HttpRequestParser parser(testLimits());
    parser.append(input);
    Outcome out;
    out.status = parser.parse();
    out.errorStatus = parser.errorStatus();
    if (out.status == HttpRequestParser::Status::Complete) {
        out.keepAlive = parser.keepAlive();
        out.request = parser.takeRequest();
    }
    return out;
}

Outcome parseByteByByte(const QByteArray &input)
{
    HttpRequestParser parser(testLimits());
    Outcome out;
    for (qsizetype i = 0; i < input.size(); ++i) {
        parser.append(QByteArrayView(input.constData() + i, 1));
        out.status = parser.parse();
        if (out.status != HttpRequestParser::Status::NeedMore)
            break;
    }
    out.errorStatus = parser.errorStatus();
    if (out.status == HttpRequestParser::Status::Complete) {
        out.keepAlive = parser.keepAlive();
        out.request = parser.takeRequest();
    }
    return out;
}

const QByteArray TlsClientHello = QByteArray::fromHex("1603010200010001fc0303a1b2c3d4e5f6");

} // namespace

class tst_HttpRequestParser final : public QObject
{
    Q_OBJECT

private slots:
    void parse_validRequest_complete_data();
    void parse_validRequest_complete();
    void parse_invalidRequest_failsWithStatus_data();
    void parse_invalidRequest_failsWithStatus();
    void parse_byteByByte_sameResultAsWhole_data();
    void parse_byteByByte_sameResultAsWhole();
    void parse_keepAliveRules_data();
    void parse_keepAliveRules();
    void parse_pipelinedRequests_splitInOrder();
    void parse_partialSecondRequest_waitsForRest();
    void parse_tlsClientHello_failsOnFirstBytes();
    void parse_unterminatedHugeHead_fails431BeforeTerminator();
    void parse_contentLengthOverLimit_fails413BeforeBody();
    void parse_expectContinue_headCompleteBeforeBody();
    void parse_bodyAtLimit_accepted();
    void parse_chunkedOverLimit_fails413();
    void parse_afterError_staysFailed();
    void parse_leadingEmptyLines_notPartialRequest();

private:
    static void addValidRows();
    static void addInvalidRows();
};

void tst_HttpRequestParser::addValidRows()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("versionMinor");

    QTest::newRow("simple GET") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("GET")
                                << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("query") << QByteArray("GET /v1/models?x=1&y=2 HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("GET")
                           << QByteArray("/v1/models") << QByteArray("x=1&y=2") << QByteArray() << 1;
    QTest::newRow("POST with Content-Length")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello") << QByteArray("POST")
        << QByteArray("/echo") << QByteArray() << QByteArray("hello") << 1;
    QTest::newRow("Content-Length zero") << QByteArray("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
                                         << QByteArray("POST") << QByteArray("/e") << QByteArray() << QByteArray()
                                         << 1;
    QTest::newRow("duplicate equal Content-Length")
        << QByteArray("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-length: 003\r\n\r\nabc")
        << QByteArray("POST") << QByteArray("/e") << QByteArray() << QByteArray("abc") << 1;
    QTest::newRow("chunked body with extension and trailer")
        << QByteArray("POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5;name=val\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
        << QByteArray("POST") << QByteArray("/e") << QByteArray() << QByteArray("hello world") << 1;
    QTest::newRow("chunked upper-case hex")
        << QByteArray("POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n")
        << QByteArray("POST") << QByteArray("/e") << QByteArray() << QByteArray("0123456789") << 1;
    QTest::newRow("HTTP/1.0 without Host") << QByteArray("GET /x HTTP/1.0\r\n\r\n") << QByteArray("GET")
                                           << QByteArray("/x") << QByteArray() << QByteArray() << 0;
    QTest::newRow("OPTIONS asterisk") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("OPTIONS")
                                      << QByteArray("*") << QByteArray() << QByteArray() << 1;
    QTest::newRow("absolute-form reduced to path")
        << QByteArray("GET http://127.0.0.1:2455/v1/models?a=b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        << QByteArray("GET") << QByteArray("/v1/models") << QByteArray("a=b") << QByteArray() << 1;
    QTest::newRow("absolute-form without path") << QByteArray("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n")
                                                << QByteArray("GET") << QByteArray("/") << QByteArray()
                                                << QByteArray() << 1;
    QTest::newRow("leading empty lines skipped") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
                                                 << QByteArray("GET") << QByteArray("/") << QByteArray()
                                                 << QByteArray() << 1;
    QTest::newRow("extension method token") << QByteArray("M-SEARCH /x HTTP/1.1\r\nHost: a\r\n\r\n")
                                            << QByteArray("M-SEARCH") << QByteArray("/x") << QByteArray()
                                            << QByteArray() << 1;
    QTest::newRow("obs-text and tabs in value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: \t caf\xc3\xa9\tb \t\r\n\r\n") << QByteArray("GET")
        << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("Host: IPv6 literal") << QByteArray("GET / HTTP/1.1\r\nHost: [::1]:2455\r\n\r\n") << QByteArray("GET")
                                        << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("Host: trailing dot, HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\nHost: example.com.:65535\r\n\r\n")
                                                  << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray() << 0;
    QTest::newRow("exactly maxHeaderCount fields")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n"
                      "I: 9\r\n\r\n")
        << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray() << 1;
}

void tst_HttpRequestParser::addInvalidRows()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");

    const QByteArray many = []() -> QByteArray {
        QByteArray h = "GET / HTTP/1.1\r\nHost: a\r\n";
        for (int i = 0; i < 10; ++i)
            h += "X-" + QByteArray::number(i) + ": v\r\n";
        return h + "\r\n";
    }();

    QTest::newRow("bare LF request line") << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n") << 400;
    QTest::newRow("bare LF header") << QByteArray("GET / HTTP/1.1\r\nHost: a\n\r\n") << 400;
    QTest::newRow("bare LF end of head") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\n") << 400;
    QTest::newRow("bare CR in value") << QByteArray("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") << 400;
    QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29) << 400;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n") << 400;
    QTest::newRow("whitespace before first field") << QByteArray("GET / HTTP/1.1\r\n Host: a\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nBogus\r\n\r\n") << 400;
    QTest::newRow("empty field name") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n") << 400;
    QTest::newRow("invalid char in name") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX(A): v\r\n\r\n") << 400;
    QTest::newRow("invalid method") << QByteArray("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("empty method") << QByteArray(" / HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("missing version") << QByteArray("GET /\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("trailing space after version") << QByteArray("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("malformed version") << QByteArray("GET / HTTP/1.1x\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: a\r\n\r\n") << 505;
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: a\r\n\r\n") << 505;
    QTest::newRow("HTTP/0.9") << QByteArray("GET / HTTP/0.9\r\n\r\n") << 505;
    QTest::newRow("relative target") << QByteArray("GET x HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("authority-form") << QByteArray("CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("asterisk with GET") << QByteArray("GET * HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("fragment") << QByteArray("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("control char in target") << QByteArray("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("absolute-form with userinfo") << QByteArray("GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n")
                                                 << 400;
    QTest::newRow("HTTP/1.1 without Host") << QByteArray("GET / HTTP/1.1\r\nX-A: b\r\n\r\n") << 400;
    QTest::newRow("empty Host on HTTP/1.1") << QByteArray("GET / HTTP/1.1\r\nHost:\r\n\r\n") << 400;
    QTest::newRow("Host with userinfo") << QByteArray("GET / HTTP/1.1\r\nHost: user@127.0.0.1\r\n\r\n") << 400;
    QTest::newRow("Host with a space") << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1 x\r\n\r\n") << 400;
    QTest::newRow("Host: unbracketed IPv6") << QByteArray("GET / HTTP/1.1\r\nHost: ::1:80\r\n\r\n") << 400;
    QTest::newRow("absolute-form with a percent-encoded host")
        << QByteArray("GET http://%6cocalhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n") << 400;
    QTest::newRow("two Host fields") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("Content-Length letters") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n")
                                            << 400;
    QTest::newRow("Content-Length negative") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")
                                             << 400;
    QTest::newRow("Content-Length plus sign") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n")
                                              << 400;
    QTest::newRow("Content-Length list") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n")
                                         << 400;
    QTest::newRow("Content-Length empty") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n")
                                          << 400;
    QTest::newRow("differing Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!") << 400;
    QTest::newRow("Content-Length with Transfer-Encoding")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\n\r\n")
        << 400;
    QTest::newRow("Transfer-Encoding before Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n") << 400;
    QTest::newRow("Transfer-Encoding gzip") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")
                                            << 501;
    QTest::newRow("Transfer-Encoding gzip, chunked")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
    QTest::newRow("chunked twice")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
        << 400;
    QTest::newRow("empty Transfer-Encoding") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n")
                                             << 400;
    QTest::newRow("Transfer-Encoding on HTTP/1.0")
        << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400;
    QTest::newRow("Content-Length over limit") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n")
                                               << 413;
    QTest::newRow("Content-Length huge")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n") << 413;
    QTest::newRow("too many fields") << many << 431;
    QTest::newRow("head too large") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: " + QByteArray(1100, 'v') + "\r\n\r\n")
                                    << 431;
    QTest::newRow("request line too large") << QByteArray("GET /" + QByteArray(1100, 'p') + " HTTP/1.1\r\n\r\n") << 431;
    QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                    << 400;
    QTest::newRow("chunk without CRLF")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n") << 400;
    QTest::newRow("chunk over limit")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n") << 413;
    QTest::newRow("chunk size overflow")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n") << 413;
    QTest::newRow("TLS ClientHello") << TlsClientHello << 400;
    QTest::newRow("binary garbage") << QByteArray("\x00\xff\x10garbage\r\n\r\n", 13) << 400;
    QTest::newRow("leading bare LF") << QByteArray("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
}

void tst_HttpRequestParser::parse_validRequest_complete_data()
{
    addValidRows();
}

void tst_HttpRequestParser::parse_validRequest_complete()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(int, versionMinor);

    const Outcome out = parseWhole(input);
    QCOMPARE(out.status, HttpRequestParser::Status::Complete);
    QCOMPARE(out.request.method, method);
    QCOMPARE(out.request.path, path);
    QCOMPARE(out.request.query, query);
    QCOMPARE(out.request.body, body);
    QCOMPARE(out.request.versionMinor, versionMinor);
}

void tst_HttpRequestParser::parse_invalidRequest_failsWithStatus_data()
{
    addInvalidRows();
}

void tst_HttpRequestParser::parse_invalidRequest_failsWithStatus()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);

    const Outcome out = parseWhole(input);
    QCOMPARE(out.status, HttpRequestParser::Status::Error);
    QCOMPARE(out.errorStatus, status);
}

void tst_HttpRequestParser::parse_byteByByte_sameResultAsWhole_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    // every valid and invalid row, fed one byte at a time
    QTest::newRow("valid: chunked") << QByteArray("POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                  "5;x\r\nhello\r\n0\r\nT: t\r\n\r\n")
                                    << 0;
    QTest::newRow("valid: body") << QByteArray("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello") << 0;
    QTest::newRow("valid: leading CRLF") << QByteArray("\r\nGET / HTTP/1.0\r\n\r\n") << 0;
    QTest::newRow("valid: absolute-form") << QByteArray("GET http://h/p?q HTTP/1.1\r\nHost: h\r\n\r\n") << 0;
    // invalid requests: the same status, whether whole or byte by byte
    const auto addInvalid = [](const char *name, const QByteArray &input, int status) {
        QTest::newRow(name) << input << status;
    };
    addInvalid("bare LF", QByteArray("GET / HTTP/1.1\r\nHost: a\n\r\n"), 400);
    addInvalid("bare CR", QByteArray("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"), 400);
    addInvalid("obs-fold", QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\tc\r\n\r\n"), 400);
    addInvalid("no colon", QByteArray("GET / HTTP/1.1\r\nHost: a\r\nBogus\r\n\r\n"), 400);
    addInvalid("505", QByteArray("GET / HTTP/2.0\r\n\r\n"), 505);
    addInvalid("CL+TE", QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
               400);
    addInvalid("differing CL", QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
               400);
    addInvalid("413", QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n"), 413);
    addInvalid("501", QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: br\r\n\r\n"), 501);
    addInvalid("431 big", QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: " + QByteArray(2000, 'v') + "\r\n\r\n"), 431);
    addInvalid("no Host", QByteArray("GET / HTTP/1.1\r\n\r\n"), 400);
    addInvalid("bad Host", QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1:65536\r\n\r\n"), 400);
    addInvalid("TLS", TlsClientHello, 400);
    addInvalid("bad chunk", QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"),
               400);
    // Found by fuzz_http_request_parser: an over-limit line read with its LF got 400 (bare LF) or was accepted.
    addInvalid("fuzz: head line over the limit, bare LF", "GET /" + QByteArray(1100, 'p') + " HTTP/1.1\n", 431);
    addInvalid("fuzz: chunk size line over 4 KiB", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
               + QByteArray(5000, '0') + "1\r\nx\r\n0\r\n\r\n", 400);
}

void tst_HttpRequestParser::parse_byteByByte_sameResultAsWhole()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);

    const Outcome whole = parseWhole(input);
    const Outcome bytes = parseByteByByte(input);
    QCOMPARE(bytes.status, whole.status);
    QCOMPARE(bytes.errorStatus, whole.errorStatus);
    QCOMPARE(whole.errorStatus, status);
    QCOMPARE(bytes.request.method, whole.request.method);
    QCOMPARE(bytes.request.target, whole.request.target);
    QCOMPARE(bytes.request.body, whole.request.body);
    QCOMPARE(bytes.request.headers.fields(), whole.request.headers.fields());
}

void tst_HttpRequestParser::parse_keepAliveRules_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("expectContinue");

    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << true << false;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n") << false << false;
    QTest::newRow("1.1 close in list") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n")
                                       << false << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true << false;
    QTest::newRow("1.1 expect") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n"
                                              "Content-Length: 1\r\n\r\n")
                                << true << true;
    QTest::newRow("1.0 expect ignored") << QByteArray("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")
                                        << false << false;
}

void tst_HttpRequestParser::parse_keepAliveRules()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, keepAlive);
    QFETCH(bool, expectContinue);

    HttpRequestParser parser(testLimits());
    parser.append(input);
    QVERIFY(parser.parse() != HttpRequestParser::Status::Error);
    QVERIFY(parser.headComplete());
    QCOMPARE(parser.keepAlive(), keepAlive);
    QCOMPARE(parser.expectsContinue(), expectContinue);
}

void tst_HttpRequestParser::parse_pipelinedRequests_splitInOrder()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                             "GET /b?x HTTP/1.1\r\nHost: h\r\n\r\n"
                             "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                             "GET /d HTTP/1.1\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    HttpRequest a = parser.takeRequest();
    QCOMPARE(a.path, QByteArray("/a"));
    QCOMPARE(a.body, QByteArray("abc"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    HttpRequest b = parser.takeRequest();
    QCOMPARE(b.path, QByteArray("/b"));
    QCOMPARE(b.query, QByteArray("x"));
    QVERIFY(b.body.isEmpty());
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    HttpRequest c = parser.takeRequest();
    QCOMPARE(c.path, QByteArray("/c"));
    QCOMPARE(c.body, QByteArray("hi"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(parser.hasPartialRequest());
    parser.append(QByteArray("Host: h\r\n\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    QCOMPARE(parser.takeRequest().path, QByteArray("/d"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(!parser.hasPartialRequest());
}

void tst_HttpRequestParser::parse_partialSecondRequest_waitsForRest()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(parser.headComplete());
    parser.append(QByteArray("56789GET"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    QCOMPARE(parser.takeRequest().body, QByteArray("0123456789"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(parser.hasPartialRequest());
    QCOMPARE(parser.bufferedBytes(), 3);
}

void tst_HttpRequestParser::parse_tlsClientHello_failsOnFirstBytes()
{
    HttpRequestParser parser(testLimits());
    parser.append(TlsClientHello.left(3)); // no line end needed
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 400);
}

void tst_HttpRequestParser::parse_unterminatedHugeHead_fails431BeforeTerminator()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: "));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    parser.append(QByteArray(1200, 'v')); // no CRLF yet
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 431);
}

void tst_HttpRequestParser::parse_contentLengthOverLimit_fails413BeforeBody()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1001\r\n\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 413);
    QCOMPARE(parser.errorCode(), QStringLiteral("request_too_large"));
}

void tst_HttpRequestParser::parse_expectContinue_headCompleteBeforeBody()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(parser.headComplete());
    QVERIFY(parser.expectsContinue());
    QCOMPARE(parser.contentLength(), 4);
    parser.append(QByteArray("body"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    QCOMPARE(parser.takeRequest().body, QByteArray("body"));
}

void tst_HttpRequestParser::parse_bodyAtLimit_accepted()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n") + QByteArray(1000, 'b'));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    QCOMPARE(parser.takeRequest().body.size(), 1000);
}

void tst_HttpRequestParser::parse_chunkedOverLimit_fails413()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
    QByteArray chunk = "1f4\r\n" + QByteArray(500, 'x') + "\r\n"; // 500 bytes
    parser.append(chunk);
    parser.append(chunk);
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore); // exactly 1000 so far
    parser.append(QByteArray("1\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 413);
}

void tst_HttpRequestParser::parse_afterError_staysFailed()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("BAD\x01"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Error);
    parser.append(QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Error);
}

void tst_HttpRequestParser::parse_leadingEmptyLines_notPartialRequest()
{
    HttpRequestParser parser(testLimits());
    parser.append(QByteArray("\r\n\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(!parser.hasPartialRequest());
    parser.append(QByteArray("G"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY(parser.hasPartialRequest());
}

QTEST_APPLESS_MAIN(tst_HttpRequestParser)
#include "tst_httprequestparser.moc"
