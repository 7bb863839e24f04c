// SPDX-License-Identifier: MIT
// HttpResponseParser: framing, limits and reuse decisions, fed whole and byte by byte.
#include "proxy/upstream/Http1Exchange.h"
#include "proxy/upstream/HttpResponseParser.h"

#include <QTest>

using namespace Proxy;

namespace {

struct Parsed final
{
    HttpResponseParser parser;
    QByteArray body;
};

/// Feeds @p wire in pieces of @p step bytes (0: all at once).
void feed(Parsed &p, const QByteArray &wire, int step)
{
    if (step <= 0) {
        p.parser.feed(wire, &p.body);
        return;
    }
    for (qsizetype i = 0; i < wire.size(); i += step)
        p.parser.feed(QByteArrayView(wire).sliced(i, qMin<qsizetype>(step, wire.size() - i)), &p.body);
}

} // namespace

class TestUpstreamResponseParser final : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void headRequestAndNoContentHaveNoBody();
    void interimResponsesAreSkipped();
    void closeDelimitedBodyEndsAtEof();
    void truncatedBodyIsAnError();
    void reuseRules_data();
    void reuseRules();
    void limitsAndSyntaxErrors_data();
    void limitsAndSyntaxErrors();
    void serializeRequestRejectsInjection();
};

void TestUpstreamResponseParser::framing_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    for (int step : {0, 1, 3, 7}) {
        const QByteArray s = QByteArray::number(step);
        QTest::addRow("content-length/%d", step)
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello")
            << QByteArray("hello") << 200;
        QTest::addRow("chunked-ext-trailer/%d", step)
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n")
            << QByteArray("hello, world!!!") << 200;
        QTest::addRow("chunked-lf-only/%d", step)
            << QByteArray("HTTP/1.1 201 Created\nTransfer-Encoding: gzip, chunked\n\n3\nabc\n0\n\n")
            << QByteArray("abc") << 201;
        QTest::addRow("empty-length/%d", step)
            << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n") << QByteArray() << 404;
        Q_UNUSED(s)
    }
}

void TestUpstreamResponseParser::framing()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    Parsed p;
    feed(p, wire, tag.section(u'/', 1).toInt());
    QVERIFY2(p.parser.isDone(), qPrintable(p.parser.errorString()));
    QCOMPARE(p.parser.status(), status);
    QCOMPARE(p.body, body);
    QVERIFY(p.parser.keepAlive());
}

void TestUpstreamResponseParser::headRequestAndNoContentHaveNoBody()
{
    Parsed head{HttpResponseParser(true), {}};
    feed(head, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", 0);
    QVERIFY(head.parser.isDone());
    QVERIFY(head.parser.keepAlive());
    for (const char *wire :
         {"HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"}) {
        Parsed p;
        feed(p, wire, 0);
        QVERIFY(p.parser.isDone());
        QVERIFY(p.body.isEmpty());
    }
}

void TestUpstreamResponseParser::interimResponsesAreSkipped()
{
    Parsed p;
    feed(p,
         "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
         "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
         0);
    QVERIFY(p.parser.isDone());
    QCOMPARE(p.parser.status(), 200);
    QVERIFY(!p.parser.headers().contains("Link"));
    QCOMPARE(p.body, QByteArray("ok"));
}

void TestUpstreamResponseParser::closeDelimitedBodyEndsAtEof()
{
    Parsed p;
    feed(p, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\n", 0);
    QVERIFY(p.parser.headComplete());
    QVERIFY(!p.parser.isDone());
    QVERIFY(p.parser.closeDelimited());
    p.parser.finishEof();
    QVERIFY(p.parser.isDone());
    QVERIFY(!p.parser.keepAlive());
    QCOMPARE(p.body, QByteArray("data: 1\n\n"));
}

void TestUpstreamResponseParser::truncatedBodyIsAnError()
{
    Parsed p;
    feed(p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0);
    p.parser.finishEof();
    QVERIFY(p.parser.hasError());
    QVERIFY(p.parser.truncated());
    QCOMPARE(p.body, QByteArray("abc"));
}

void TestUpstreamResponseParser::reuseRules_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray(
                                      "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n")
                               << false;
    QTest::newRow("1.0 default") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n") << true;
    QTest::newRow("te+cl")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << false;
    QTest::newRow("extra bytes") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy") << false;
}

void TestUpstreamResponseParser::reuseRules()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, keepAlive);
    Parsed p;
    feed(p, wire, 0);
    QVERIFY(p.parser.isDone());
    QCOMPARE(p.parser.keepAlive(), keepAlive);
}

void TestUpstreamResponseParser::limitsAndSyntaxErrors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QByteArray manyFields = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 201; ++i)
        manyFields += "X-F" + QByteArray::number(i) + ": v\r\n";
    manyFields += "\r\n";
    QTest::newRow("201 fields") << manyFields;
    QTest::newRow("head > 64 KiB") << ("HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(70 * 1024, 'a'));
    QTest::newRow("bad status line") << QByteArray("HTTP/2 200\r\n\r\n");
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n");
    QTest::newRow("conflicting lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
    QTest::newRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
    QTest::newRow("bad chunk size") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    QTest::newRow("missing chunk crlf")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n");
    QTest::newRow("folding") << QByteArray("HTTP/1.1 200 OK\r\nX-A: 1\r\n  2\r\n\r\n");
    QTest::newRow("space before colon") << QByteArray("HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n");
    QTest::newRow("101") << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n");
}

void TestUpstreamResponseParser::limitsAndSyntaxErrors()
{
    QFETCH(QByteArray, wire);
    Parsed p;
    feed(p, wire, 0);
    QVERIFY(p.parser.hasError());
    QVERIFY(!p.parser.truncated());
    QVERIFY(!p.parser.errorString().isEmpty());
}

void TestUpstreamResponseParser::serializeRequestRejectsInjection()
{
    UpstreamRequest r;
    r.url = QUrl(QStringLiteral("https://api.example.com/v1/responses"));
    r.headers.append("X-Ok", "fine");
    QString error;
    const QByteArray wire = Http1Exchange::serializeRequest(r, &error);
    QVERIFY(wire.startsWith("POST /v1/responses HTTP/1.1\r\nHost: api.example.com\r\nX-Ok: fine\r\n"
                            "Content-Length: 0\r\n\r\n"));
    r.headers.append("X-Bad", "a\r\nInjected: yes");
    QVERIFY(Http1Exchange::serializeRequest(r, &error).isEmpty());
    QVERIFY(!error.isEmpty());
    r.headers = {};
    r.headers.append("Content-Length", "999"); // framing is ours
    r.headers.append("Transfer-Encoding", "chunked");
    r.headers.append("host", "evil");
    QCOMPARE(Http1Exchange::serializeRequest(r, &error),
             QByteArray("POST /v1/responses HTTP/1.1\r\nHost: api.example.com\r\nContent-Length: 0\r\n\r\n"));
    r.method = "GET /x";
    QVERIFY(Http1Exchange::serializeRequest(r, &error).isEmpty());
}

QTEST_GUILESS_MAIN(TestUpstreamResponseParser)
#include "tst_upstreamresponseparser.moc"
