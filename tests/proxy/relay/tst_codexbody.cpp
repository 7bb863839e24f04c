// SPDX-License-Identifier: MIT
// Unit: the body a codex-kind account (the ChatGPT backend) gets.
#include "proxy/relay/CodexBody.h"
#include "proxy/routing/AccountPool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Proxy;

class tst_CodexBody final : public QObject
{
    Q_OBJECT

private slots:
    void normalise_nativeBody_sameBytesNoChanges();
    void normalise_unsupportedField_dropped_data();
    void normalise_unsupportedField_dropped();
    void normalise_storeAndStream_forced_data();
    void normalise_storeAndStream_forced();
    void normalise_emptyTools_dropped_nonEmptyKept();
    void normalise_rewrite_keepsOrderAndValueBytes();
    void normalise_isIdempotent();
    void normalise_previousResponseId_refusedWithParam();
    void forPool_byAccountKinds_normalisesAndRefusesOnlyWhenNoneCouldServe();
    void noted_appendsChangesToThePolicyStep();
};

void tst_CodexBody::normalise_nativeBody_sameBytesNoChanges()
{
    // Codex CLI / Pi shape, with the spacing a client may use: forwarded as it is, not even copied.
    const QByteArray body = R"({ "model" : "gpt-5.4", "instructions":"x", "input":[{"type":"message"}],)"
                            R"( "tools" : [ {"type":"function","name":"f"} ], "stream": true, "store" :false,)"
                            R"("prompt_cache_key":"k","previous_response_id":null })";
    const CodexBody out = CodexBody::normalise(body);
    QCOMPARE(out.body, body);
    QCOMPARE(out.body.constData(), body.constData());
    QVERIFY(out.changes.isEmpty());
    QVERIFY(!out.refusal);
}

void tst_CodexBody::normalise_unsupportedField_dropped_data()
{
    QTest::addColumn<QByteArray>("field");
    for (const char *field : {"max_output_tokens", "temperature", "top_p", "metadata", "user", "truncation",
                              "safety_identifier", "prompt_cache_retention"})
        QTest::newRow(field) << QByteArray(field);
}

void tst_CodexBody::normalise_unsupportedField_dropped()
{
    QFETCH(QByteArray, field);
    const QByteArray value = field == "metadata" ? R"({"a":{"b":[1,2]}})" : R"("v")";
    // First, middle and last position: the commas around the removed member must stay right.
    const QList<QByteArray> bodies = {
        "{\"" + field + "\":" + value + ",\"model\":\"m\",\"stream\":true,\"store\":false}",
        "{\"model\":\"m\", \"" + field + "\" : " + value + " ,\"stream\":true,\"store\":false}",
        "{\"model\":\"m\",\"stream\":true,\"store\":false,\"" + field + "\":" + value + "}",
    };
    for (const QByteArray &body : bodies) {
        const CodexBody out = CodexBody::normalise(body);
        QCOMPARE(out.body, QByteArray(R"({"model":"m","stream":true,"store":false})"));
        QCOMPARE(out.changes, QStringList{QStringLiteral("dropped ") + QString::fromLatin1(field)});
    }
}

void tst_CodexBody::normalise_storeAndStream_forced_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QStringList>("changes");
    QTest::newRow("store true") << QByteArray(R"({"store":true,"stream":true})")
                                << QByteArray(R"({"store":false,"stream":true})")
                                << QStringList{QStringLiteral("store forced false")};
    QTest::newRow("store null") << QByteArray(R"({"stream":true,"store":null})")
                                << QByteArray(R"({"stream":true,"store":false})")
                                << QStringList{QStringLiteral("store forced false")};
    QTest::newRow("stream false") << QByteArray(R"({"stream":false,"store":false})")
                                  << QByteArray(R"({"stream":true,"store":false})")
                                  << QStringList{QStringLiteral("stream forced true")};
    QTest::newRow("both absent") << QByteArray(R"({"model":"m"})")
                                 << QByteArray(R"({"model":"m","store":false,"stream":true})")
                                 << QStringList{QStringLiteral("store forced false"), QStringLiteral("stream forced true")};
    QTest::newRow("empty object") << QByteArray("{ }") << QByteArray(R"({"store":false,"stream":true})")
                                  << QStringList{QStringLiteral("store forced false"), QStringLiteral("stream forced true")};
}

void tst_CodexBody::normalise_storeAndStream_forced()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    QFETCH(QStringList, changes);
    const CodexBody out = CodexBody::normalise(body);
    QCOMPARE(out.body, expected);
    QCOMPARE(out.changes, changes);
}

void tst_CodexBody::normalise_emptyTools_dropped_nonEmptyKept()
{
    for (const QByteArray &tools : {QByteArray("[]"), QByteArray("[ \n\t]")}) {
        const CodexBody out = CodexBody::normalise(R"({"tools":)" + tools + R"(,"stream":true,"store":false})");
        QCOMPARE(out.body, QByteArray(R"({"stream":true,"store":false})"));
        QCOMPARE(out.changes, QStringList{QStringLiteral("dropped empty tools")});
    }
    const QByteArray kept = R"({"tools":[{}],"stream":true,"store":false})";
    QCOMPARE(CodexBody::normalise(kept).body, kept);
}

void tst_CodexBody::normalise_rewrite_keepsOrderAndValueBytes()
{
    // Values are copied as written: 1.0e2 stays 1.0e2, escapes stay escapes, nested spacing stays.
    const QByteArray body = R"({"z":1.0e2,"temperature":0.2,"input":[ {"text":"a\u00e9\"b"} ],"a":-0})";
    const CodexBody out = CodexBody::normalise(body);
    QCOMPARE(out.body, QByteArray(R"({"z":1.0e2,"input":[ {"text":"a\u00e9\"b"} ],"a":-0,"store":false,"stream":true})"));
    QVERIFY(QJsonDocument::fromJson(out.body).isObject());
}

void tst_CodexBody::normalise_isIdempotent()
{
    const QByteArray body = R"({"model":"gpt-5.4","input":"hi","max_output_tokens":100,"temperature":0.2,"tools":[]})";
    const CodexBody once = CodexBody::normalise(body);
    QCOMPARE(once.changes.size(), 5);
    const CodexBody twice = CodexBody::normalise(once.body);
    QCOMPARE(twice.body, once.body);
    QVERIFY(twice.changes.isEmpty());
    const QJsonObject sent = QJsonDocument::fromJson(once.body).object();
    QCOMPARE(sent.keys(), (QStringList{u"input"_qs, u"model"_qs, u"store"_qs, u"stream"_qs}));
}

void tst_CodexBody::normalise_previousResponseId_refusedWithParam()
{
    const CodexBody out = CodexBody::normalise(R"({"model":"m","previous_response_id":"resp_1","stream":true,"store":false})");
    QVERIFY(out.refusal);
    QCOMPARE(out.refusal->param, QStringLiteral("previous_response_id"));
    QVERIFY(out.refusal->message.contains(u"store:false"));
    QVERIFY(!CodexBody::normalise(R"({"previous_response_id":null})").refusal);
}

void tst_CodexBody::forPool_byAccountKinds_normalisesAndRefusesOnlyWhenNoneCouldServe()
{
    const auto account = [](qint64 id, UpstreamConfig::Kind kind) {
        UpstreamAccount out;
        out.id = id;
        out.upstream.kind = kind;
        return out;
    };
    const QByteArray body = R"({"input":"hi","previous_response_id":"resp_0"})";
    AccountPool pool;
    pool.applyAccounts({account(1, UpstreamConfig::Kind::OpenAI)});
    QVERIFY(!CodexBody::forPool(body, pool)); // nothing to normalise for
    pool.applyAccounts({account(1, UpstreamConfig::Kind::Codex)});
    const std::optional<CodexBody> codexOnly = CodexBody::forPool(body, pool);
    QVERIFY(codexOnly && codexOnly->refusal);
    pool.applyAccounts({account(1, UpstreamConfig::Kind::Codex), account(2, UpstreamConfig::Kind::OpenAI)});
    const std::optional<CodexBody> mixed = CodexBody::forPool(body, pool);
    QVERIFY(mixed && !mixed->refusal); // the OpenAI-kind account can serve it
    QVERIFY(mixed->body.contains("\"store\":false"));
}

void tst_CodexBody::noted_appendsChangesToThePolicyStep()
{
    const CodexBody changed = CodexBody::normalise(R"({"user":"u","stream":true,"store":false})");
    QCOMPARE(changed.noted(QString()), QStringLiteral("codex body: dropped user"));
    QCOMPARE(changed.noted(QStringLiteral("limit tokens/day 2% → allowed")),
             QStringLiteral("limit tokens/day 2% → allowed → codex body: dropped user"));
    const CodexBody native = CodexBody::normalise(R"({"stream":true,"store":false})");
    QCOMPARE(native.noted(QStringLiteral("p")), QStringLiteral("p"));
}

QTEST_APPLESS_MAIN(tst_CodexBody)
#include "tst_codexbody.moc"
