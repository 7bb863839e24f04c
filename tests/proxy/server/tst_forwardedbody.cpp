// SPDX-License-Identifier: MIT
// Integration: the key policy judges exactly the body that is forwarded. A hostile key holder allowed only
// gpt-5.4-mini at effort low tries escaped and duplicate member names on every HTTP route of the real
// proxy, with a FakeUpstream started here (the WebSocket route: tst_websocketresponses).
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>

using namespace Proxy;

namespace {

const QList<QByteArray> ResponsesRoutes{"/v1/responses", "/backend-api/codex/responses", "/v1/responses/compact",
                                        "/backend-api/codex/responses/compact"};
const QByteArray ChatRoute = "/v1/chat/completions";

/// JSON written with single quotes (moc and raw string literals do not mix); no apostrophes inside.
QByteArray j(QByteArray text)
{
    return text.replace('\'', '"');
}

QString rowName(const QByteArray &route, const char *what)
{
    return QString::fromLatin1(route) + u' ' + QString::fromLatin1(what);
}

/// A key (pi-laptop) allowed only gpt-5.4-mini at effort low; the upstream streams a gpt-5.4-mini answer.
struct Fixture
{
    Fixture()
    {
        KeyPolicy policy;
        policy.allowedModels = {QStringLiteral("gpt-5.4-mini")};
        policy.allowedEfforts = {QStringLiteral("low")};
        proxy.initialKeys = ProxyTestHarness::keys(true, policy);
        fake.setDefaultReply(FakeUpstream::Reply::sse(FakeUpstream::responsesStream(
            QStringLiteral("gpt-5.4-mini"), {QStringLiteral("Hi")}, {1200, 1000, 80, 30, 1280})));
        proxy.useUpstream(fake.baseUrl());
    }
    ProxyResponse post(const QByteArray &route, const QByteArray &body)
    {
        return sendToProxy(nam, proxy.port, "POST", route, piClientHeaders(), body);
    }

    FakeUpstream fake;
    ProxyTestHarness proxy;
    QNetworkAccessManager nam;
};

} // namespace

class tst_ForwardedBody final : public QObject
{
    Q_OBJECT

private slots:
    void duplicateName_everyRoute_400NothingForwarded_data();
    void duplicateName_everyRoute_400NothingForwarded();
    void escapedName_everyRoute_judgedDecoded403_data();
    void escapedName_everyRoute_judgedDecoded403();
    void escapedAllowedModel_upstreamCarriesTheJudgedModel_data();
    void escapedAllowedModel_upstreamCarriesTheJudgedModel();
    void escapedValues_passAndForwardedByteForByte_data();
    void escapedValues_passAndForwardedByteForByte();
};

void tst_ForwardedBody::duplicateName_everyRoute_400NothingForwarded_data()
{
    QTest::addColumn<QByteArray>("route");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    for (const QByteArray &route : ResponsesRoutes) {
        QTest::newRow(qPrintable(rowName(route, "model (the issue)")))
            << route << j("{'model':'gpt-5.4-mini','mod\\u0065l':'gpt-5.4','input':[]}") << QStringLiteral("model");
        QTest::newRow(qPrintable(rowName(route, "plain model twice")))
            << route << j("{'model':'gpt-5.4-mini','input':[],'model':'gpt-5.4'}") << QStringLiteral("model");
        QTest::newRow(qPrintable(rowName(route, "reasoning.effort")))
            << route << j("{'model':'gpt-5.4-mini','reasoning':{'effort':'low','eff\\u006frt':'high'},'input':[]}")
            << QStringLiteral("reasoning.effort");
        QTest::newRow(qPrintable(rowName(route, "deep in input")))
            << route
            << j("{'model':'gpt-5.4-mini','input':[{'type':'message','role':'user','content':[{'type':'input_text',"
                 "'text':'hi'}]},{'type':'message','role':'user','content':[{'type':'input_text','text':'hi',"
                 "'\\u0074ype':'input_image'}]}]}")
            << QStringLiteral("input[1].content[0].type");
    }
    QTest::newRow("chat model (the issue)")
        << ChatRoute << j("{'model':'gpt-5.4-mini','mod\\u0065l':'gpt-5.4','messages':[{'role':'user','content':'hi'}]}")
        << QStringLiteral("model");
    QTest::newRow("chat reasoning_effort")
        << ChatRoute
        << j("{'model':'gpt-5.4-mini','reasoning_effort':'low','reasoning_\\u0065ffort':'high',"
             "'messages':[{'role':'user','content':'hi'}]}")
        << QStringLiteral("reasoning_effort");
    QTest::newRow("chat deep in messages")
        << ChatRoute
        << j("{'model':'gpt-5.4-mini','messages':[{'role':'user','content':[{'type':'text','text':'hi',"
             "'typ\\u0065':'image_url'}]}]}")
        << QStringLiteral("messages[0].content[0].type");
}

void tst_ForwardedBody::duplicateName_everyRoute_400NothingForwarded()
{
    QFETCH(QByteArray, route);
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse refused = f.post(route, body);
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.error().value(u"type").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(refused.errorCode(), QStringLiteral("duplicate_member"));
    QCOMPARE(refused.error().value(u"param").toString(), param);
    QCOMPARE(f.fake.requestCount(), 0);
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    QCOMPARE(f.proxy.allRecords().first().status, 400);
    QVERIFY(!f.proxy.allRecords().first().usage.has_value());
}

void tst_ForwardedBody::escapedName_everyRoute_judgedDecoded403_data()
{
    QTest::addColumn<QByteArray>("route");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    for (const QByteArray &route : ResponsesRoutes) {
        QTest::newRow(qPrintable(rowName(route, "escaped model only")))
            << route << j("{'mod\\u0065l':'gpt-5.4','input':[]}") << QStringLiteral("model_not_allowed");
        QTest::newRow(qPrintable(rowName(route, "escaped effort only (the issue)")))
            << route << j("{'model':'gpt-5.4-mini','reasoning':{'eff\\u006frt':'high'},'input':[]}")
            << QStringLiteral("reasoning_effort_not_allowed");
    }
    QTest::newRow("chat escaped model only")
        << ChatRoute << j("{'\\u006dodel':'gpt-5.4','messages':[{'role':'user','content':'hi'}]}")
        << QStringLiteral("model_not_allowed");
    QTest::newRow("chat escaped effort only")
        << ChatRoute
        << j("{'model':'gpt-5.4-mini','reasoning_\\u0065ffort':'high','messages':[{'role':'user','content':'hi'}]}")
        << QStringLiteral("reasoning_effort_not_allowed");
}

void tst_ForwardedBody::escapedName_everyRoute_judgedDecoded403()
{
    QFETCH(QByteArray, route);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse refused = f.post(route, body);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorCode(), code);
    QCOMPARE(f.fake.requestCount(), 0);
}

void tst_ForwardedBody::escapedAllowedModel_upstreamCarriesTheJudgedModel_data()
{
    QTest::addColumn<QByteArray>("route");
    QTest::addColumn<QByteArray>("body");
    for (const QByteArray &route : ResponsesRoutes)
        QTest::newRow(route.constData())
            << route << j("{'mod\\u0065l':'gpt-5.4-mini','stream':true,'reasoning':{'eff\\u006frt':'low'},'input':[]}");
    QTest::newRow(ChatRoute.constData())
        << ChatRoute
        << j("{'mod\\u0065l':'gpt-5.4-mini','reasoning_\\u0065ffort':'low','messages':[{'role':'user','content':'hi'}]}");
}

void tst_ForwardedBody::escapedAllowedModel_upstreamCarriesTheJudgedModel()
{
    QFETCH(QByteArray, route);
    QFETCH(QByteArray, body);
    Fixture f;
    QVERIFY(f.proxy.start());
    const ProxyResponse answered = f.post(route, body);
    QVERIFY2(answered.status == 200, answered.body.constData());
    QCOMPARE(f.fake.requestCount(), 1);
    // Whatever the route makes of the body (as is, reshaped for compact, translated from chat), the
    // upstream's parser reads the model and effort the policy judged, and usage is booked under it.
    const QJsonObject upstream = QJsonDocument::fromJson(f.fake.lastRequest().body).object();
    QCOMPARE(upstream.value(u"model").toString(), QStringLiteral("gpt-5.4-mini"));
    QCOMPARE(upstream.value(u"reasoning").toObject().value(u"effort").toString(), QStringLiteral("low"));
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    QCOMPARE(f.proxy.allRecords().first().model, QStringLiteral("gpt-5.4-mini"));
    QCOMPARE(f.proxy.allRecords().first().usage->total, 1280);
}

void tst_ForwardedBody::escapedValues_passAndForwardedByteForByte_data()
{
    QTest::addColumn<QByteArray>("route");
    QTest::newRow("/v1/responses") << QByteArray("/v1/responses");
    QTest::newRow("/backend-api/codex/responses") << QByteArray("/backend-api/codex/responses");
}

void tst_ForwardedBody::escapedValues_passAndForwardedByteForByte()
{
    QFETCH(QByteArray, route);
    Fixture f;
    QVERIFY(f.proxy.start());
    // Escapes in values, a lone surrogate in a value, the same names in different objects, names that
    // differ only in case: all legitimate, all forwarded untouched (the body is native: stream true,
    // store false, nothing the ChatGPT backend refuses).
    const QByteArray body =
        j("{'model':'gpt-5.4-mini','instructions':'Say \\'hi\\'\\n\\u00e9\\ud83d\\ude00 \\/ \\ud800',"
          "'input':[{'type':'message','role':'user','content':[{'type':'input_text','text':'a\\tb'}]},"
          "{'type':'message','role':'user','content':[{'type':'input_text','text':'\\u0022quoted\\u0022'}]}],"
          "'tools':[{'type':'function','name':'f','parameters':{'type':'object','properties':{'id':{},'ID':{},"
          "'type':{'type':'string'}}}}],'client_metadata':{'model':'gpt-5.4'},'stream':true,'store':false}");
    const ProxyResponse answered = f.post(route, body);
    QCOMPARE(answered.status, 200);
    QCOMPARE(f.fake.requestCount(), 1);
    QCOMPARE(f.fake.lastRequest().body, body);
}

QTEST_GUILESS_MAIN(tst_ForwardedBody)
#include "tst_forwardedbody.moc"
