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

/// JSON written with single quotes (moc and raw string literals do not mix); no apostrophes inside.
QByteArray j(const char *text)
{
    QByteArray out(text);
    out.replace('\'', '"');
    return out;
}

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
    void inspect_escapedNames_readDecoded();
    void inspect_duplicateNames_refusedWithPath_data();
    void inspect_duplicateNames_refusedWithPath();
    void inspect_loneSurrogateInName_refusedWithPath_data();
    void inspect_loneSurrogateInName_refusedWithPath();
    void inspect_sameNamesInOtherObjects_andEscapedValues_pass();
    void forEachTopLevelMember_upstreamAnswers_decodedNamesDuplicatesAllowed();
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
        {"{\"a\":\"caf\xc3\xa9\"}", true}, {"{\"a\":\"\xc3\"}", false}, {"{\"model\":\"gpt\",\"model\":\"x\"}", false},
        {"{\"a\xed\xa0\x80\":1}", false}, {"{\"a\":\"\\ud800\"}", true},
        {"{\"a\":true false}", false}, {QByteArray(600, '[').prepend("{\"a\":"), false},
    };
    for (const auto &[body, valid] : cases)
        QTest::newRow(body.toPercentEncoding().left(60).constData()) << body << valid;
}

void tst_JsonBodyInspector::inspect_followsRfc8259()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QCOMPARE(JsonBodyInspection::inspect(body).ok(), valid);
    if (valid) // never more lenient than Qt's own parser (which accepts e.g. "1." and raw newlines)
        QVERIFY(qtSaysObject(body));
}

void tst_JsonBodyInspector::inspect_realisticBody_readsModelAndStream()
{
    const JsonBodyInspection inspection = JsonBodyInspection::inspect(Realistic);
    QVERIFY(inspection.ok());
    QCOMPARE(inspection.model, QStringLiteral("gpt-5.4"));
    QVERIFY(inspection.stream);
    const JsonBodyInspection nested =
        JsonBodyInspection::inspect("{\"input\":{\"model\":\"inner\",\"stream\":true}}");
    QVERIFY(nested.ok());
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
        const bool ours = JsonBodyInspection::inspect(body).ok();
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

void tst_JsonBodyInspector::inspect_escapedNames_readDecoded()
{
    // Each name is what the upstream's parser makes of it, so the policy judges the values it will use.
    const JsonBodyInspection body = JsonBodyInspection::inspect(j(
        "{'mod\\u0065l':'gpt-5.4','\\u0073tream':true,'prompt_cache_k\\u0065y':'k1','service\\u005ftier':'flex',"
        "'reasoning':{'eff\\u006frt':'high'}}"));
    QVERIFY(body.ok());
    QCOMPARE(body.model, QStringLiteral("gpt-5.4"));
    QVERIFY(body.stream);
    QCOMPARE(body.promptCacheKey, QStringLiteral("k1"));
    QCOMPARE(body.serviceTier, QStringLiteral("flex"));
    QCOMPARE(body.reasoningEffort, QStringLiteral("high"));
    QCOMPARE(JsonBodyInspection::inspect(j("{'\\u006d\\u006f\\u0064\\u0065\\u006c':'x'}")).model, QStringLiteral("x"));
    QCOMPARE(JsonBodyInspection::inspect(j("{'mo\\/del':'x'}")).model, QString()); // "mo/del" is another name
}

void tst_JsonBodyInspector::inspect_duplicateNames_refusedWithPath_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::newRow("plain") << j("{'model':'a','stream':true,'model':'b'}") << QStringLiteral("model");
    QTest::newRow("escaped after plain (the issue)")
        << j("{'model':'gpt-5.4-mini','mod\\u0065l':'gpt-5.4','input':[]}") << QStringLiteral("model");
    QTest::newRow("plain after escaped") << j("{'\\u0061':1,'a':2}") << QStringLiteral("a");
    QTest::newRow("both escaped differently") << j("{'\\u0061b':1,'a\\u0062':2}") << QStringLiteral("ab");
    QTest::newRow("solidus escape") << j("{'a/b':1,'a\\/b':2}") << QStringLiteral("a/b");
    QTest::newRow("raw UTF-8 vs escape") << j("{'caf\xc3\xa9':1,'caf\\u00e9':2}") << QStringLiteral("caf\u00e9");
    QTest::newRow("surrogate pair vs raw UTF-8")
        << j("{'\xf0\x9f\x98\x80':1,'\\ud83d\\ude00':2}") << QStringLiteral("\U0001F600");
    QTest::newRow("reasoning.effort (the issue)")
        << j("{'model':'m','reasoning':{'effort':'low','eff\\u006frt':'high'}}") << QStringLiteral("reasoning.effort");
    QTest::newRow("deep in input")
        << j("{'input':[{'type':'message'},{},{},{'content':[{'type':'input_text','typ\\u0065':'input_image'}]}]}")
        << QStringLiteral("input[3].content[0].type");
    QTest::newRow("arrays of arrays") << j("{'x':[[1],[{'k':1,'k':2}]]}") << QStringLiteral("x[1][0].k");
    QTest::newRow("control escape") << j("{'a\\nb':1,'a\\u000ab':2}") << QStringLiteral("a\nb");
    // Past the linear compare: the hash set of a large object must see the duplicate too.
    QByteArray wide = "{";
    for (int i = 0; i < 200; ++i)
        wide += "\"m" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",";
    QTest::newRow("object of 200 members, early name repeated") << QByteArray(wide + "\"m\\u0033\":0}") << QStringLiteral("m3");
    QTest::newRow("object of 200 members, late name repeated") << QByteArray(wide + "\"m199\":0}") << QStringLiteral("m199");
    QTest::newRow("17th member repeats the 16th") << QByteArray(wide.left(wide.indexOf("\"m16\"")) + "\"m15\":0}")
                                                  << QStringLiteral("m15");
}

void tst_JsonBodyInspector::inspect_duplicateNames_refusedWithPath()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    const JsonBodyInspection inspection = JsonBodyInspection::inspect(body);
    QVERIFY(!inspection.ok());
    QCOMPARE(inspection.refusal->code, QStringLiteral("duplicate_member"));
    QCOMPARE(inspection.refusal->param, param);
    QVERIFY2(inspection.refusal->message.contains(param), qPrintable(inspection.refusal->message));
    QVERIFY(inspection.model.isEmpty()); // nothing of a refused body is used
    QVERIFY(qtSaysObject(body));         // a lenient parser would have taken it (and kept one of the two)
}

void tst_JsonBodyInspector::inspect_loneSurrogateInName_refusedWithPath_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::newRow("lone high") << j("{'mod\\ud800el':'x'}") << QStringLiteral("mod\uFFFDel");
    QTest::newRow("lone low") << j("{'\\udc00':1}") << QStringLiteral("\uFFFD");
    QTest::newRow("high then letter") << j("{'\\ud800\\u0041':1}") << QStringLiteral("\uFFFDA");
    QTest::newRow("two highs") << j("{'\\ud800\\ud800':1}") << QStringLiteral("\uFFFD\uFFFD");
    QTest::newRow("high at the end") << j("{'x':{'a\\udbff':1}}") << QStringLiteral("x.a\uFFFD");
    QTest::newRow("in input") << j("{'input':[{'\\udfff':1}]}") << QStringLiteral("input[0].\uFFFD");
}

void tst_JsonBodyInspector::inspect_loneSurrogateInName_refusedWithPath()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    const JsonBodyInspection inspection = JsonBodyInspection::inspect(body);
    QVERIFY(!inspection.ok());
    QCOMPARE(inspection.refusal->code, QStringLiteral("invalid_member_name"));
    QCOMPARE(inspection.refusal->param, param);
}

void tst_JsonBodyInspector::inspect_sameNamesInOtherObjects_andEscapedValues_pass()
{
    const QByteArray body = j("{'type':'t','model':'gpt-5.4','input':[{'type':'message','content':[{'type':'input_text',"
                              "'text':'say \\'hi\\'\\n\\u00e9 \\ud83d\\ude00 \\/ \\ud800'}]},{'type':'message'}],"
                              "'tools':[{'type':'function','parameters':{'type':'object','properties':{'a':{},'A':{},"
                              "'\\u0062':{},'type':{'type':'string'}}}}],'metadata':{'model':'x','model_':'y'}}");
    const JsonBodyInspection inspection = JsonBodyInspection::inspect(body);
    QVERIFY2(inspection.ok(), qPrintable(inspection.refusal ? inspection.refusal->message : QString()));
    QCOMPARE(inspection.model, QStringLiteral("gpt-5.4"));
    QByteArray wide = "{";
    for (int i = 0; i < 5000; ++i)
        wide += (i ? ",\"k" : "\"k") + QByteArray::number(i) + "\":{\"k\":" + QByteArray::number(i) + "}";
    QVERIFY(JsonBodyInspection::inspect(QByteArray(wide + "}")).ok());
}

void tst_JsonBodyInspector::forEachTopLevelMember_upstreamAnswers_decodedNamesDuplicatesAllowed()
{
    QList<QPair<QByteArray, QByteArray>> members;
    const auto collect = [&members](QByteArrayView name, QByteArrayView value) {
        members.append({name.toByteArray(), value.toByteArray()});
    };
    QVERIFY(forEachTopLevelMember(j("{'typ\\u0065':'a','type':'b','\\ud800':1,'x':{'y':1,'y':2}}"), collect));
    const QList<QPair<QByteArray, QByteArray>> expected{
        {"type", "\"a\""}, {"type", "\"b\""}, {"\xef\xbf\xbd", "1"}, {"x", "{\"y\":1,\"y\":2}"}};
    QCOMPARE(members, expected);
    QVERIFY(!forEachTopLevelMember("{\"a\":1,}", collect));
}

QTEST_GUILESS_MAIN(tst_JsonBodyInspector)
#include "tst_jsonbodyinspector.moc"
