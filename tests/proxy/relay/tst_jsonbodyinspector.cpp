// SPDX-License-Identifier: MIT
#include "proxy/relay/JsonBodyInspector.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Proxy;

namespace {

bool qtSaysObject(const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    return error.error == QJsonParseError::NoError && document.isObject();
}

// Escaped ordinary literals on purpose: moc mis-reads raw string literals holding quotes.
const QByteArray Realistic =
    "{\"model\":\"gpt-5.4\",\"store\":false,\"stream\":true,\"instructions\":\"You are \\\"helpful\\\".\\n\","
    "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi \\u00e9 \xe2\x9c\x93\"}]}],"
    "\"tools\":[{\"type\":\"function\",\"name\":\"bash\",\"parameters\":{\"type\":\"object\",\"properties\":{}},"
    "\"strict\":null}],\"reasoning\":{\"effort\":\"medium\",\"summary\":\"auto\"},\"temperature\":0.7,"
    "\"n\":-1.5e-3,\"ok\":[true,false,null]}";

} // namespace

class tst_JsonBodyInspector final : public QObject
{
    Q_OBJECT

private slots:
    void inspect_followsRfc8259_data();
    void inspect_followsRfc8259();
    void inspect_realisticBody_readsModelAndStream();
    void inspect_mutatedBodies_neverAcceptWhatQtRejects();
    void inspect_promptCacheKey_topLevelStringOnly();
    void inspect_serviceTierAndReasoningEffort();
};

void tst_JsonBodyInspector::inspect_followsRfc8259_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    const QList<QPair<QByteArray, bool>> cases{
        {"{}", true}, {" { } ", true}, {"[]", false}, {"\"x\"", false}, {"1", false}, {"", false}, {"{", false},
        {"}", false}, {"{\"a\":}", false}, {"{\"a\":1,}", false}, {"{,}", false}, {"{\"a\" 1}", false},
        {"{\"a\":01}", false}, {"{\"a\":1.}", false}, {"{\"a\":.5}", false}, {"{\"a\":-}", false},
        {"{\"a\":1e}", false}, {"{\"a\":1e+5}", true}, {"{\"a\":-0.0E-2}", true}, {"{\"a\":tru}", false},
        {"{\"a\":nul}", false}, {"{\"a\":\"\\x\"}", false}, {"{\"a\":\"\\u12G4\"}", false},
        {"{\"a\":\"\\u12\"}", false}, {"{\"a\":\"line\nbreak\"}", false}, {"{\"a\":[1,2,]}", false},
        {"{\"a\":[,]}", false}, {"{\"a\":[[[]]]}", true}, {"{\"a\":{\"b\":{}}}", true}, {"{} {}", false},
        {"{}x", false}, {"{\"a\":1}\n", true}, {"{'a':1}", false}, {"{\"a\":\"\xff\"}", false},
        {"{\"a\":\"caf\xc3\xa9\"}", true}, {"{\"a\":\"\xc3\"}", false}, {"{\"model\":\"gpt\",\"model\":\"x\"}", true},
        {"{\"a\":true false}", false}, {QByteArray(600, '[').prepend("{\"a\":"), false},
    };
    for (const auto &[body, valid] : cases)
        QTest::newRow(body.toPercentEncoding().left(60).constData()) << body << valid;
}

void tst_JsonBodyInspector::inspect_followsRfc8259()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QCOMPARE(JsonBodyInspection::inspect(body).validObject, valid);
    if (valid) // never more lenient than Qt's own parser (which accepts e.g. "1." and raw newlines)
        QVERIFY(qtSaysObject(body));
}

void tst_JsonBodyInspector::inspect_realisticBody_readsModelAndStream()
{
    const JsonBodyInspection inspection = JsonBodyInspection::inspect(Realistic);
    QVERIFY(inspection.validObject);
    QCOMPARE(inspection.model, QStringLiteral("gpt-5.4"));
    QVERIFY(inspection.stream);
    const JsonBodyInspection nested =
        JsonBodyInspection::inspect("{\"input\":{\"model\":\"inner\",\"stream\":true}}");
    QVERIFY(nested.validObject);
    QVERIFY(nested.model.isEmpty()); // only top-level members count
    QVERIFY(!nested.stream);
}

void tst_JsonBodyInspector::inspect_mutatedBodies_neverAcceptWhatQtRejects()
{
    QRandomGenerator random(20261128); // fixed seed: the same mutations every run
    const QByteArray alphabet = "{}[]\",:\\ 0123456789.eE+-truefalsnl\n\x01\xc3\xa9";
    int agreed = 0;
    for (int i = 0; i < 5000; ++i) {
        QByteArray body = Realistic;
        const int edits = 1 + int(random.bounded(3));
        for (int e = 0; e < edits; ++e) {
            const int at = int(random.bounded(body.size()));
            switch (random.bounded(3)) {
            case 0:
                body.remove(at, 1);
                break;
            case 1:
                body.insert(at, alphabet.at(int(random.bounded(alphabet.size()))));
                break;
            default:
                body[at] = alphabet.at(int(random.bounded(alphabet.size())));
            }
        }
        const bool ours = JsonBodyInspection::inspect(body).validObject;
        QVERIFY2(!ours || qtSaysObject(body), body.constData());
        agreed += ours == qtSaysObject(body) ? 1 : 0;
    }
    // Qt's parser is laxer than RFC 8259 in a few spots; everywhere else the verdicts match.
    QVERIFY2(agreed > 4500, qPrintable(QString::number(agreed)));
}

void tst_JsonBodyInspector::inspect_promptCacheKey_topLevelStringOnly()
{
    QCOMPARE(JsonBodyInspection::inspect("{\"model\":\"m\",\"prompt_cache_key\":\"conv-\\u00e9\"}").promptCacheKey,
             QStringLiteral("conv-\u00e9"));
    QCOMPARE(JsonBodyInspection::inspect("{\"input\":{\"prompt_cache_key\":\"inner\"}}").promptCacheKey, QString());
    QCOMPARE(JsonBodyInspection::inspect("{\"prompt_cache_key\":42}").promptCacheKey, QString());
    QCOMPARE(JsonBodyInspection::inspect("{\"prompt_cache_key\":\"k\",").promptCacheKey, QString()); // invalid JSON
}

void tst_JsonBodyInspector::inspect_serviceTierAndReasoningEffort()
{
    const JsonBodyInspection body = JsonBodyInspection::inspect(
        "{\"model\":\"m\",\"service_tier\":\"priority\",\"reasoning\":{\"summary\":\"auto\",\"effort\":\"xhigh\"}}");
    QCOMPARE(body.serviceTier, QStringLiteral("priority"));
    QCOMPARE(body.reasoningEffort, QStringLiteral("xhigh"));
    QCOMPARE(JsonBodyInspection::inspect("{\"input\":{\"reasoning\":{\"effort\":\"high\"}}}").reasoningEffort, QString());
    QCOMPARE(JsonBodyInspection::inspect("{\"reasoning\":null}").reasoningEffort, QString());
    QCOMPARE(JsonBodyInspection::inspect("{\"reasoning\":{\"effort\":\"low\"},").reasoningEffort, QString()); // invalid
}

QTEST_GUILESS_MAIN(tst_JsonBodyInspector)
#include "tst_jsonbodyinspector.moc"
