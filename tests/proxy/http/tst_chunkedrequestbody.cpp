// SPDX-License-Identifier: MIT
// Unit: what a chunked request body costs the parser — memory follows the bytes that arrived, not the
// sizes a client declares, and the framing around tiny chunks has a ceiling.
#include "proxy/http/HttpRequestParser.h"

#include <QTest>

using Proxy::HttpLimits;
using Proxy::HttpRequestParser;

namespace {

const QByteArray ChunkedHead = "POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";

HttpLimits limits32Mib()
{
    HttpLimits limits;
    limits.maxBodyBytes = 32 * 1024 * 1024;
    return limits;
}

} // namespace

class tst_ChunkedRequestBody final : public QObject
{
    Q_OBJECT

private slots:
    void declaredHugeChunk_fewBytesSent_nothingReserved();
    void manyChunks_consumedFramingDropped_memoryFollowsTheBody();
    void tinyChunks_framingOverTheCeiling_400();
    void framingCountsPerRequest_nextRequestStartsAfresh();
};

void tst_ChunkedRequestBody::declaredHugeChunk_fewBytesSent_nothingReserved()
{
    HttpRequestParser parser(limits32Mib());
    // Ten bytes that declare a chunk of 32 MiB - 1: the parser must not allocate for the declaration.
    parser.append(QByteArray(ChunkedHead + "1ffffff\r\nabc"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    QVERIFY2(parser.heldBytes() < 64 * 1024, QByteArray::number(parser.heldBytes()).constData());
}

void tst_ChunkedRequestBody::manyChunks_consumedFramingDropped_memoryFollowsTheBody()
{
    HttpRequestParser parser(limits32Mib());
    parser.append(ChunkedHead);
    QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    const QByteArray chunk = "400\r\n" + QByteArray(1024, 'x') + "\r\n"; // 1 KiB chunks, one per append
    for (int i = 0; i < 4096; ++i) {
        parser.append(QByteArrayView(chunk)); // the view overload copies: the buffer itself must shrink
        QCOMPARE(parser.parse(), HttpRequestParser::Status::NeedMore);
    }
    // 4 MiB of body arrived in 4 MiB + framing of input: held is the body (grown to at most twice its
    // size) and a small buffer, not the body plus every byte that came in (that would pass 12 MiB).
    QVERIFY2(parser.heldBytes() < 10 * 1024 * 1024, QByteArray::number(parser.heldBytes()).constData());
    parser.append(QByteArray("0\r\n\r\n"));
    QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
    QCOMPARE(parser.takeRequest().body.size(), 4096 * 1024);
}

void tst_ChunkedRequestBody::tinyChunks_framingOverTheCeiling_400()
{
    HttpRequestParser parser(limits32Mib());
    parser.append(ChunkedHead);
    QByteArray oneByteChunks;
    for (int i = 0; i < 1024; ++i)
        oneByteChunks += "1;e=v\r\nx\r\n"; // 9 bytes of framing per body byte
    HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
    qint64 sent = 0;
    while (status == HttpRequestParser::Status::NeedMore && sent < 4 * HttpRequestParser::MaxChunkFramingBytes) {
        parser.append(oneByteChunks);
        sent += oneByteChunks.size();
        status = parser.parse();
    }
    QCOMPARE(status, HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 400);
    QCOMPARE(parser.errorCode(), QStringLiteral("chunk_framing_too_large"));
    QVERIFY(sent <= HttpRequestParser::MaxChunkFramingBytes * 10 / 9 + oneByteChunks.size());
}

void tst_ChunkedRequestBody::framingCountsPerRequest_nextRequestStartsAfresh()
{
    HttpRequestParser parser(limits32Mib());
    QByteArray body;
    for (int i = 0; i < 100'000; ++i) // 100,000 × 9 framing bytes: most of the ceiling, twice
        body += "1;e=v\r\nx\r\n";
    body += "0\r\n\r\n";
    for (int round = 0; round < 2; ++round) {
        parser.append(QByteArray(ChunkedHead + body));
        QCOMPARE(parser.parse(), HttpRequestParser::Status::Complete);
        QCOMPARE(parser.takeRequest().body.size(), 100'000);
    }
}

QTEST_GUILESS_MAIN(tst_ChunkedRequestBody)
#include "tst_chunkedrequestbody.moc"
