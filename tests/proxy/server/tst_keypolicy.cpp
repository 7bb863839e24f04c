// SPDX-License-Identifier: MIT
// Integration: key policy on the real proxy — limits, allowlists, /v1/usage limits, the trace step —
// with a FakeUpstream started here and real HTTP clients.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>

using namespace Proxy;

namespace {

const QByteArray Body54 = R"({"model":"gpt-5.4","stream":true,"store":false,"input":[]})";
const QByteArray BodyMini = R"({"model":"gpt-5.4-mini","stream":true,"store":false,"input":[]})";

/// Reports input 1200 (1000 cached), output 80 (30 reasoning), total 1280.
FakeUpstream::Reply canned(int delayMs = 0)
{
    return FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hi")}, {1200, 1000, 80, 30, 1280}),
        delayMs);
}

KeyPolicy limitedTo(LimitType type, LimitWindow window, qint64 max, const QString &model = {})
{
    KeyPolicy policy;
    policy.limits = {{11, type, window, max, model}};
    return policy;
}

/// Created 2 h 17 min ago: its windows begin at the top of that hour.
QDateTime createdAt()
{
    return QDateTime::currentDateTimeUtc().addSecs(-(2 * 3600 + 17 * 60));
}

QDateTime firstReset(const QDateTime &created, qint64 windowHours)
{
    const qint64 anchor = created.toSecsSinceEpoch() / 3600 * 3600;
    return QDateTime::fromSecsSinceEpoch(anchor + windowHours * 3600, Qt::UTC);
}

struct PolicyFixture
{
    explicit PolicyFixture(const KeyPolicy &policy, const QDateTime &created = createdAt())
    {
        proxy.initialKeys = ProxyTestHarness::keys(true, policy, created);
        fake.setDefaultReply(canned());
        proxy.useUpstream(fake.baseUrl());
    }
    ProxyResponse post(const QByteArray &body = Body54)
    {
        return sendToProxy(nam, proxy.port, "POST", "/v1/responses", piClientHeaders(), body);
    }
    ProxyResponse usage()
    {
        return sendToProxy(nam, proxy.port, "GET", "/v1/usage", {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    }

    FakeUpstream fake;
    ProxyTestHarness proxy;
    QNetworkAccessManager nam;
};

} // namespace

class tst_KeyPolicy final : public QObject
{
    Q_OBJECT

private slots:
    void exhaustedLimit_429BeforeUpstream_withResetsAtAndRetryAfter();
    void perModelLimit_countsOnlyThatModel();
    void costLimit_fromThePricingTable();
    void modelAllowlist_403_andModelsListFiltered();
    void reasoningEffort_notAllowed_403WithParam();
    void usageEndpoint_limitsExactJson();
    void concurrentRequests_overshootBoundedByWhatWasInFlight();
    void limitAddedWhileRunning_countsUsageAlreadyInItsWindow();
    void trace_showsThePolicyStep();
    void chatAndCompact_refusedByTheSamePolicy();
};

void tst_KeyPolicy::exhaustedLimit_429BeforeUpstream_withResetsAtAndRetryAfter()
{
    const QDateTime created = createdAt();
    PolicyFixture f(limitedTo(LimitType::TotalTokens, LimitWindow::Day, 1000), created);
    QVERIFY(f.proxy.start());
    QCOMPARE(f.post().status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);

    const ProxyResponse refused = f.post();
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.error().value(u"type").toString(), QStringLiteral("rate_limit_error"));
    QCOMPARE(refused.errorCode(), QStringLiteral("rate_limit_exceeded"));
    const QDateTime reset = firstReset(created, 24);
    QCOMPARE(refused.error().value(u"resets_at").toInteger(), reset.toSecsSinceEpoch());
    QCOMPARE(refused.error().value(u"message").toString(),
             QStringLiteral("API key total_tokens daily limit exceeded. Usage resets at %1.")
                 .arg(reset.toString(Qt::ISODate)));
    const qint64 retryAfter = refused.header("Retry-After").toLongLong();
    const qint64 untilReset = reset.toSecsSinceEpoch() - QDateTime::currentSecsSinceEpoch();
    QVERIFY2(retryAfter > 0 && std::abs(retryAfter - untilReset) <= 2, refused.header("Retry-After").constData());
    QCOMPARE(f.fake.requestCount(), 1); // the refused request never reached the upstream
    QTRY_COMPARE(f.proxy.allRecords().size(), 2);
    QCOMPARE(f.proxy.allRecords().last().status, 429);
    QCOMPARE(f.proxy.allRecords().last().outcome, QStringLiteral("denied"));
}

void tst_KeyPolicy::perModelLimit_countsOnlyThatModel()
{
    PolicyFixture f(limitedTo(LimitType::TotalTokens, LimitWindow::Week, 1000, QStringLiteral("gpt-5.4-mini")));
    QVERIFY(f.proxy.start());
    QCOMPARE(f.post(Body54).status, 200);
    QCOMPARE(f.post(Body54).status, 200); // 2 560 tokens of another model: not counted
    QCOMPARE(f.post(BodyMini).status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 3);
    QCOMPARE(f.post(BodyMini).status, 429);
    QCOMPARE(f.post(Body54).status, 200);
    QCOMPARE(f.fake.requestCount(), 4);
}

void tst_KeyPolicy::costLimit_fromThePricingTable()
{
    PolicyFixture f(limitedTo(LimitType::CostMicros, LimitWindow::Month, 3000)); // $0.003
    f.proxy.config.pricing = std::make_shared<const PricingTable>(
        *PricingTable::fromJson("{\"models\":{\"gpt-5.4*\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15}}}"));
    QVERIFY(f.proxy.start());
    // Each request costs 200 × 2.5 + 1000 × 0.25 + 80 × 15 = 1950 micro-dollars.
    QCOMPARE(f.post().status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    QCOMPARE(f.post().status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 2);
    QCOMPARE(f.post().status, 429);
    const QJsonObject limit = f.usage().json().value(u"limits").toArray().first().toObject();
    QCOMPARE(limit.value(u"limit_type").toString(), QStringLiteral("cost_usd"));
    QCOMPARE(limit.value(u"current_value").toInteger(), 3000); // 3900 used, shown clamped
    QCOMPARE(limit.value(u"remaining_value").toInteger(), 0);
}

void tst_KeyPolicy::modelAllowlist_403_andModelsListFiltered()
{
    KeyPolicy policy;
    policy.allowedModels = {QStringLiteral("gpt-5.4")};
    PolicyFixture f(policy);
    f.fake.setReply("/codex/models",
                    FakeUpstream::Reply::json(QJsonObject{
                        {QStringLiteral("models"), QJsonArray{QJsonObject{{QStringLiteral("slug"), QStringLiteral("gpt-5.4")}},
                                                              QJsonObject{{QStringLiteral("slug"), QStringLiteral("gpt-5.5")}}}}}));
    QVERIFY(f.proxy.start());
    const ProxyResponse refused = f.post(R"({"model":"gpt-5.5","stream":true,"input":[]})");
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.error().value(u"type").toString(), QStringLiteral("permission_error"));
    QCOMPARE(refused.errorCode(), QStringLiteral("model_not_allowed"));
    QCOMPARE(refused.error().value(u"message").toString(),
             QStringLiteral("This API key does not have access to model 'gpt-5.5'"));
    QCOMPARE(f.fake.requestCount(), 0);
    QCOMPARE(f.post().status, 200);

    const auto ids = [](const ProxyResponse &list) {
        QStringList out;
        for (const QJsonValue &model : list.json().value(u"data").toArray())
            out.append(model.toObject().value(u"id").toString());
        return out;
    };
    const ProxyResponse piList = sendToProxy(f.nam, f.proxy.port, "GET", "/v1/models",
                                             {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(ids(piList), QStringList{QStringLiteral("gpt-5.4")});
    const ProxyResponse native = sendToProxy(f.nam, f.proxy.port, "GET", "/backend-api/codex/models",
                                             {{"x-api-key", ProxyTestHarness::PiKey.toByteArray()}});
    QCOMPARE(native.json().value(u"models").toArray().size(), 1);
    const ProxyResponse ciList = sendToProxy(f.nam, f.proxy.port, "GET", "/v1/models",
                                             {{"x-api-key", ProxyTestHarness::CiKey.toByteArray()}});
    QCOMPARE(ids(ciList), (QStringList{QStringLiteral("gpt-5.4"), QStringLiteral("gpt-5.5")}));
}

void tst_KeyPolicy::reasoningEffort_notAllowed_403WithParam()
{
    KeyPolicy policy;
    policy.allowedEfforts = {QStringLiteral("low"), QStringLiteral("medium")};
    PolicyFixture f(policy);
    QVERIFY(f.proxy.start());
    const ProxyResponse refused = f.post(R"({"model":"gpt-5.4","reasoning":{"summary":"auto","effort":"xhigh"},"input":[]})");
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.error().value(u"type").toString(), QStringLiteral("permission_error"));
    QCOMPARE(refused.errorCode(), QStringLiteral("reasoning_effort_not_allowed"));
    QCOMPARE(refused.error().value(u"param").toString(), QStringLiteral("reasoning.effort"));
    QCOMPARE(f.fake.requestCount(), 0);
    QCOMPARE(f.post(R"({"model":"gpt-5.4","reasoning":{"effort":"low"},"input":[]})").status, 200);
    QCOMPARE(f.post(Body54).status, 200); // no effort selected: the upstream default applies
}

void tst_KeyPolicy::usageEndpoint_limitsExactJson()
{
    const QDateTime created = createdAt();
    KeyPolicy policy;
    policy.limits = {{11, LimitType::TotalTokens, LimitWindow::Day, 1000, {}},
                     {12, LimitType::OutputTokens, LimitWindow::FiveHours, 500, QStringLiteral("gpt-5.4")}};
    PolicyFixture f(policy, created);
    QVERIFY(f.proxy.start());
    QCOMPARE(f.post().status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    const QJsonArray limits = f.usage().json().value(u"limits").toArray();
    const QJsonObject daily{{QStringLiteral("limit_type"), QStringLiteral("total_tokens")},
                            {QStringLiteral("limit_window"), QStringLiteral("daily")},
                            {QStringLiteral("max_value"), 1000},
                            {QStringLiteral("current_value"), 1000},
                            {QStringLiteral("remaining_value"), 0},
                            {QStringLiteral("model_filter"), QJsonValue::Null},
                            {QStringLiteral("reset_at"), firstReset(created, 24).toString(Qt::ISODate)},
                            {QStringLiteral("source"), QStringLiteral("api_key_limit")}};
    const QJsonObject fiveHours{{QStringLiteral("limit_type"), QStringLiteral("output_tokens")},
                                {QStringLiteral("limit_window"), QStringLiteral("5h")},
                                {QStringLiteral("max_value"), 500},
                                {QStringLiteral("current_value"), 80},
                                {QStringLiteral("remaining_value"), 420},
                                {QStringLiteral("model_filter"), QStringLiteral("gpt-5.4")},
                                {QStringLiteral("reset_at"), firstReset(created, 5).toString(Qt::ISODate)},
                                {QStringLiteral("source"), QStringLiteral("api_key_limit")}};
    QCOMPARE(limits, (QJsonArray{daily, fiveHours}));
    QVERIFY(daily.value(u"reset_at").toString().endsWith(u'Z'));
}

void tst_KeyPolicy::concurrentRequests_overshootBoundedByWhatWasInFlight()
{
    PolicyFixture f(limitedTo(LimitType::TotalTokens, LimitWindow::Day, 1000));
    f.fake.setDefaultReply(canned(100));
    QVERIFY(f.proxy.start());
    constexpr int Clients = 4;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < Clients; ++i) {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(f.proxy.port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        for (const auto &[name, value] : piClientHeaders())
            request.setRawHeader(name, value);
        replies.append(f.nam.post(request, Body54));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }),
                             10000);
    int admitted = 0;
    for (QNetworkReply *reply : std::as_const(replies)) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QVERIFY(status == 200 || status == 429);
        admitted += status == 200;
        reply->deleteLater();
    }
    // The first request reserved all the headroom, so the others were refused while it was in flight.
    QCOMPARE(admitted, 1);
    QCOMPARE(f.fake.requestCount(), 1);
    QTRY_COMPARE(f.proxy.allRecords().size(), Clients);
    const QJsonObject limit = f.usage().json().value(u"limits").toArray().first().toObject();
    QCOMPARE(limit.value(u"current_value").toInteger(), 1000); // 1280 used: overshoot of one request, clamped
}

void tst_KeyPolicy::limitAddedWhileRunning_countsUsageAlreadyInItsWindow()
{
    PolicyFixture f({});
    QVERIFY(f.proxy.start());
    QCOMPARE(f.post().status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    QSignalSpy limitsReported(&f.proxy.controller, &ProxyController::limitStatusesChanged);
    f.proxy.controller.applyKeys(ProxyTestHarness::keys(true, limitedTo(LimitType::TotalTokens, LimitWindow::Day, 1000)));
    QVERIFY(limitsReported.wait(5000));
    const auto statuses = limitsReported.constLast().first().value<QList<LimitStatus>>();
    QCOMPARE(statuses.size(), 1);
    QCOMPARE(statuses.first().current, 1280);
    QCOMPARE(f.post().status, 429);
}

void tst_KeyPolicy::trace_showsThePolicyStep()
{
    PolicyFixture f(limitedTo(LimitType::TotalTokens, LimitWindow::Day, 1000));
    QVERIFY(f.proxy.start());
    QCOMPARE(f.post().status, 200);
    QTRY_COMPARE(f.proxy.allRecords().size(), 1);
    QCOMPARE(f.post().status, 429);
    QTRY_COMPARE(f.proxy.allTraces().size(), 2);
    const AuthTrace allowed = f.proxy.allTraces().at(0);
    QVERIFY(allowed.verdict == AuthVerdict::Accepted);
    QCOMPARE(allowed.policy, QStringLiteral("limit tokens/day 0% \u2192 allowed"));
    QVERIFY2(allowed.summary().endsWith(QStringLiteral("\"pi-laptop\" \u2192 limit tokens/day 0% \u2192 allowed")),
             qPrintable(allowed.summary()));
    const AuthTrace refused = f.proxy.allTraces().at(1);
    QVERIFY(refused.verdict == AuthVerdict::Refused);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.policy, QStringLiteral("limit tokens/day 100% \u2192 429"));
    QCOMPARE(refused.keyName, QStringLiteral("pi-laptop"));
}

void tst_KeyPolicy::chatAndCompact_refusedByTheSamePolicy()
{
    KeyPolicy policy;
    policy.allowedModels = {QStringLiteral("gpt-5.4-mini")};
    policy.allowedEfforts = {QStringLiteral("low")};
    PolicyFixture f(policy);
    QVERIFY(f.proxy.start());
    const ProxyResponse chat = sendToProxy(f.nam, f.proxy.port, "POST", "/v1/chat/completions", piClientHeaders(),
                                           R"({"model":"gpt-5.4","messages":[{"role":"user","content":"hi"}]})");
    QCOMPARE(chat.status, 403);
    QCOMPARE(chat.errorCode(), QStringLiteral("model_not_allowed"));
    const ProxyResponse effort = sendToProxy(
        f.nam, f.proxy.port, "POST", "/v1/chat/completions", piClientHeaders(),
        R"({"model":"gpt-5.4-mini","reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]})");
    QCOMPARE(effort.status, 403);
    QCOMPARE(effort.errorCode(), QStringLiteral("reasoning_effort_not_allowed"));
    const ProxyResponse compact = sendToProxy(f.nam, f.proxy.port, "POST", "/v1/responses/compact", piClientHeaders(),
                                              R"({"model":"gpt-5.4","input":[]})");
    QCOMPARE(compact.status, 403);
    QCOMPARE(f.fake.requestCount(), 0);
}

QTEST_GUILESS_MAIN(tst_KeyPolicy)
#include "tst_keypolicy.moc"
