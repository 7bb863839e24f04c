// SPDX-License-Identifier: MIT
// Unit: Content-Encoding decoding of request bodies, on real libzstd / zlib data.
#include "proxy/http/RequestBodyDecoder.h"
#include "tests/support/TestCompression.h"

#include <QTest>

using namespace Proxy;
using namespace TestSupport;

namespace {

constexpr qint64 Cap = 1024 * 1024;

const QByteArray Json = "{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

RequestBodyDecoder::Result decode(const QByteArray &encoding, const QByteArray &body, qint64 cap = Cap)
{
    return RequestBodyDecoder::decode({encoding}, body, cap);
}

} // namespace

class tst_RequestBodyDecoder final : public QObject
{
    Q_OBJECT

private slots:
    void decode_identityOrNone_bodyUnchanged();
    void decode_zstd_roundTripsIncludingConcatenatedFrames();
    void decode_gzip_roundTripsIncludingMembersAndAlias();
    void decode_deflate_zlibWrappedAndRaw();
    void decode_stacked_undoneInReverseOrder();
    void decode_unknownCoding_415();
    void decode_corruptOrTruncated_400_data();
    void decode_corruptOrTruncated_400();
    void decode_exactlyAtCap_acceptedOneBeyond413();
    void decode_bomb_stopsAtCapPlusOne_data();
    void decode_bomb_stopsAtCapPlusOne();
};

void tst_RequestBodyDecoder::decode_identityOrNone_bodyUnchanged()
{
    for (const QList<QByteArray> &values : {QList<QByteArray>{}, QList<QByteArray>{"identity"},
                                            QList<QByteArray>{" Identity , "}}) {
        const auto result = RequestBodyDecoder::decode(values, Json, Cap);
        QVERIFY(result.ok());
        QVERIFY(!result.changed);
        QCOMPARE(result.body, Json);
    }
}

void tst_RequestBodyDecoder::decode_zstd_roundTripsIncludingConcatenatedFrames()
{
    const auto result = decode("zstd", zstd(Json));
    QVERIFY(result.ok());
    QVERIFY(result.changed);
    QCOMPARE(result.body, Json);

    const QByteArray big = QByteArray("0123456789abcdef").repeated(40'000); // several output steps
    QCOMPARE(decode("ZSTD", zstd(big)).body, big);
    QCOMPARE(decode("zstd", zstd("{\"a\":") + zstd("1}")).body, QByteArray("{\"a\":1}"));
}

void tst_RequestBodyDecoder::decode_gzip_roundTripsIncludingMembersAndAlias()
{
    QCOMPARE(decode("gzip", gzip(Json)).body, Json);
    QCOMPARE(decode("x-gzip", gzip(Json)).body, Json);
    QCOMPARE(decode("gzip", gzip("{\"a\":") + gzip("1}")).body, QByteArray("{\"a\":1}"));
    const QByteArray big = QByteArray("0123456789abcdef").repeated(40'000);
    QCOMPARE(decode("gzip", gzip(big)).body, big);
}

void tst_RequestBodyDecoder::decode_deflate_zlibWrappedAndRaw()
{
    QCOMPARE(decode("deflate", zlibDeflate(Json)).body, Json);
    QCOMPARE(decode("deflate", rawDeflate(Json)).body, Json);
}

void tst_RequestBodyDecoder::decode_stacked_undoneInReverseOrder()
{
    // gzip applied first, then zstd: "gzip, zstd".
    const QByteArray stacked = zstd(gzip(Json));
    QCOMPARE(decode("gzip, zstd", stacked).body, Json);
    QCOMPARE(RequestBodyDecoder::decode({"gzip", "zstd"}, stacked, Cap).body, Json); // two fields
    QCOMPARE(decode("deflate,identity,gzip", gzip(zlibDeflate(Json))).body, Json);
    QCOMPARE(decode("zstd, gzip", stacked).status, 400); // wrong order: not gzip data
}

void tst_RequestBodyDecoder::decode_unknownCoding_415()
{
    for (const QByteArray &encoding : {QByteArray("br"), QByteArray("compress"), QByteArray("gzip, br"),
                                       QByteArray("gzip,gzip,gzip,gzip,gzip")}) {
        const auto result = decode(encoding, gzip(Json));
        QCOMPARE(result.status, 415);
        QCOMPARE(result.errorCode, QStringLiteral("unsupported_content_encoding"));
        QVERIFY(result.body.isEmpty());
    }
}

void tst_RequestBodyDecoder::decode_corruptOrTruncated_400_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("body");
    const QByteArray z = zstd(QByteArray("0123456789abcdef").repeated(1000));
    const QByteArray g = gzip(QByteArray("0123456789abcdef").repeated(1000));
    QTest::newRow("zstd garbage") << QByteArray("zstd") << QByteArray("{\"plain\":true}");
    QTest::newRow("zstd empty") << QByteArray("zstd") << QByteArray();
    QTest::newRow("zstd truncated") << QByteArray("zstd") << z.first(z.size() - 4);
    QTest::newRow("zstd trailing garbage") << QByteArray("zstd") << z + "xyz";
    QTest::newRow("zstd bad magic") << QByteArray("zstd") << QByteArray(z).replace(0, 1, "\x29");
    QTest::newRow("gzip garbage") << QByteArray("gzip") << QByteArray("{\"plain\":true}");
    QTest::newRow("gzip truncated") << QByteArray("gzip") << g.first(g.size() - 6);
    QTest::newRow("gzip bad crc") << QByteArray("gzip") << QByteArray(g).replace(g.size() - 6, 1, "\x01");
    QTest::newRow("gzip trailing garbage") << QByteArray("gzip") << g + "xyz";
    QTest::newRow("deflate truncated") << QByteArray("deflate") << zlibDeflate(Json).chopped(5);
    QTest::newRow("deflate trailing garbage") << QByteArray("deflate") << zlibDeflate(Json) + "x";
}

void tst_RequestBodyDecoder::decode_corruptOrTruncated_400()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, body);
    const auto result = decode(encoding, body);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.errorCode, QStringLiteral("invalid_compressed_body"));
    QVERIFY(!result.message.isEmpty());
}

void tst_RequestBodyDecoder::decode_exactlyAtCap_acceptedOneBeyond413()
{
    const QByteArray atCap(Cap, 'a');
    for (const QByteArray &encoding : {QByteArray("zstd"), QByteArray("gzip"), QByteArray("deflate")}) {
        const QByteArray encoded = encoding == "zstd" ? zstd(atCap) : encoding == "gzip" ? gzip(atCap) : rawDeflate(atCap);
        const auto fits = decode(encoding, encoded, Cap);
        QVERIFY2(fits.ok(), encoding.constData());
        QCOMPARE(fits.body.size(), Cap);
        const auto over = decode(encoding, encoded, Cap - 1);
        QCOMPARE(over.status, 413);
        QCOMPARE(over.errorCode, QStringLiteral("request_too_large"));
        QCOMPARE(over.producedBytes, Cap);
    }
}

void tst_RequestBodyDecoder::decode_bomb_stopsAtCapPlusOne_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("bomb");
    QTest::addColumn<qint64>("maxCompressed");
    // 1 GiB of zeros in a few tens of KB: the decoder must never get near that size.
    QTest::newRow("zstd 1 GiB") << QByteArray("zstd") << zstdCompress(zeros(1LL << 30), 1) << qint64(64 * 1024);
    // deflate tops out near 1:1030, so 64 MiB of zeros make ~64 KB.
    QTest::newRow("gzip 64 MiB") << QByteArray("gzip") << zlibCompress(zeros(64LL << 20), 16 + MAX_WBITS, 9)
                                 << qint64(128 * 1024);
    QTest::newRow("zstd of gzip") << QByteArray("gzip, zstd")
                                  << zstd(zlibCompress(zeros(64LL << 20), 16 + MAX_WBITS, 9)) << qint64(8 * 1024);
}

void tst_RequestBodyDecoder::decode_bomb_stopsAtCapPlusOne()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, bomb);
    QFETCH(qint64, maxCompressed);
    QVERIFY2(bomb.size() < maxCompressed, QByteArray::number(bomb.size()).constData());
    const auto result = decode(encoding, bomb, Cap);
    QCOMPARE(result.status, 413);
    QCOMPARE(result.errorCode, QStringLiteral("request_too_large"));
    // The output buffer is never allowed past the cap + 1 byte that proves the body too large.
    QCOMPARE(result.producedBytes, Cap + 1);
    QVERIFY(result.body.isEmpty());
}

QTEST_GUILESS_MAIN(tst_RequestBodyDecoder)
#include "tst_requestbodydecoder.moc"
