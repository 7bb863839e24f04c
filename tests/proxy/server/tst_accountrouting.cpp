// SPDX-License-Identifier: MIT
// Integration: the real proxy with an account pool, one FakeUpstream per account, real HTTP clients.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>

#include <memory>

using namespace Proxy;

namespace {

// Escaped ordinary literals on purpose: moc mis-reads raw string literals holding quotes.
const QByteArray PlainBody = "{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[]}";

QByteArray cacheKeyBody(const QByteArray &key)
{
    return "{\"model\":\"gpt-5.4\",\"stream\":true,\"prompt_cache_key\":\"" + key + "\",\"input\":[]}";
}

FakeUpstream::Reply canned()
{
    return FakeUpstream::Reply::sse(FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hi")},
                                                                   {10, 0, 2, 0, 12}));
}

FakeUpstream::Reply refusal(int status, const QString &marker)
{
    const QJsonObject error{{QStringLiteral("type"), status == 429 ? QStringLiteral("usage_limit_reached")
                                                                  : QStringLiteral("server_error")},
                            {QStringLiteral("message"), marker},
                            {QStringLiteral("resets_in_seconds"), 3600}};
    return FakeUpstream::Reply::json({{QStringLiteral("error"), error}}, status);
}

quint16 closedPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value(u"error").toObject().value(u"code").toString(); }
    QString errorMessage() const { return json().value(u"error").toObject().value(u"message").toString(); }
};

QNetworkReply *post(QNetworkAccessManager &nam, quint16 port, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("x-api-key", ProxyTestHarness::PiKey.toByteArray());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return nam.post(request, body);
}

Response finish(QNetworkReply *reply)
{
    if (!reply->isFinished()) {
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(20000);
    }
    Response out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    reply->deleteLater();
    return out;
}

Response send(ProxyTestHarness &proxy, const QByteArray &body = PlainBody,
              const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager nam;
    return finish(post(nam, proxy.port, body, headers));
}

QList<qint64> accountIds(const ProxyTestHarness &proxy)
{
    QList<qint64> out;
    for (const RequestRecord &record : proxy.allRecords())
        out.append(record.accountId);
    return out;
}

QList<AccountRuntimeStatus> statuses(const QSignalSpy &spy, qint64 id)
{
    QList<AccountRuntimeStatus> out;
    for (const QList<QVariant> &batch : spy)
        for (const AccountRuntimeStatus &status : batch.first().value<QList<AccountRuntimeStatus>>())
            if (status.id == id)
                out.append(status);
    return out;
}

/// One proxy with @p count accounts, account i served by fakes[i] with the token "token-<i+1>".
struct Pool
{
    explicit Pool(int count, RoutingStrategy routing = RoutingStrategy::FillFirst)
    {
        for (int i = 0; i < count; ++i) {
            fakes.push_back(std::make_unique<FakeUpstream>());
            fakes.back()->setDefaultReply(canned());
            proxy.addAccount(i + 1, fakes.back()->baseUrl(), "token-" + QByteArray::number(i + 1));
        }
        proxy.config.routing = routing;
    }
    FakeUpstream &fake(int accountId) { return *fakes.at(accountId - 1); }

    std::vector<std::unique_ptr<FakeUpstream>> fakes;
    ProxyTestHarness proxy;
};

} // namespace

class tst_AccountRouting final : public QObject
{
    Q_OBJECT

private slots:
    void roundRobin_requestsAlternate_recordsNameAccount();
    void sticky_promptCacheKey_sameAccount();
    void sticky_sessionIdHeader_sameAccount();
    void sticky_pausedAccount_replaced();
    void failover_connectionRefused_nextAccountServes();
    void failover_500_nextAccountServes();
    void failover_429_nextAccountServes_cooldownHonoured();
    void afterFirstByte_noReplay_responseFailed();
    void allExhausted_lastUpstream429ReasonAndStatus_thenUsageLimitReached();
    void unauthorized_refreshed_retrySucceedsOnSameAccount();
    void unauthorized_refreshFailed_failsOverAndSkipsAccount();
    void unauthorized_notRefreshable_failsOverAtOnce();
    void unauthorized_lastAccount_502UpstreamAuthFailed_accountNeedsReauth();
    void unauthorized_concurrent_oneRefreshRequested();
    void noUsableAccount_503NoAccounts();
};

void tst_AccountRouting::roundRobin_requestsAlternate_recordsNameAccount()
{
    Pool pool(2, RoutingStrategy::RoundRobin);
    QVERIFY(pool.proxy.start());
    for (int i = 0; i < 4; ++i)
        QCOMPARE(send(pool.proxy).status, 200);
    QCOMPARE(pool.fake(1).requestCount(), 2);
    QCOMPARE(pool.fake(2).requestCount(), 2);
    QCOMPARE(pool.fake(1).lastRequest().headers.value("authorization"), QByteArray("Bearer token-1"));
    QCOMPARE(pool.fake(2).lastRequest().headers.value("authorization"), QByteArray("Bearer token-2"));
    QCOMPARE(pool.fake(2).lastRequest().headers.value("chatgpt-account-id"), QByteArray("acct-2"));
    QTRY_COMPARE(pool.proxy.allRecords().size(), 4);
    QCOMPARE(accountIds(pool.proxy), QList<qint64>({1, 2, 1, 2}));
}

void tst_AccountRouting::sticky_promptCacheKey_sameAccount()
{
    Pool pool(3, RoutingStrategy::RoundRobin);
    QVERIFY(pool.proxy.start());
    QCOMPARE(send(pool.proxy).status, 200); // account 1: the conversation below starts on account 2
    for (int i = 0; i < 4; ++i)
        QCOMPARE(send(pool.proxy, cacheKeyBody("conv-a")).status, 200);
    QCOMPARE(pool.fake(2).requestCount(), 4);
    QCOMPARE(send(pool.proxy, cacheKeyBody("conv-b")).status, 200);
    QCOMPARE(pool.fake(3).requestCount(), 1);
    QCOMPARE(send(pool.proxy, cacheKeyBody("conv-a")).status, 200);
    QCOMPARE(pool.fake(2).requestCount(), 5);
}

void tst_AccountRouting::sticky_sessionIdHeader_sameAccount()
{
    Pool pool(2, RoutingStrategy::RoundRobin);
    QVERIFY(pool.proxy.start());
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(send(pool.proxy, PlainBody, {{"session_id", "sess-1"}}).status, 200);
        QCOMPARE(send(pool.proxy, PlainBody, {{"x-codex-session-id", "sess-2"}}).status, 200);
    }
    QCOMPARE(pool.fake(1).requestCount(), 3);
    QCOMPARE(pool.fake(2).requestCount(), 3);
    for (const FakeUpstream::Request &request : pool.fake(1).requests())
        QCOMPARE(request.headers.value("session_id"), QByteArray("sess-1"));
}

void tst_AccountRouting::sticky_pausedAccount_replaced()
{
    Pool pool(2, RoutingStrategy::RoundRobin);
    QVERIFY(pool.proxy.start());
    QCOMPARE(send(pool.proxy, cacheKeyBody("conv")).status, 200);
    QCOMPARE(pool.fake(1).requestCount(), 1);
    ProxyConfig paused = pool.proxy.config;
    paused.accounts[0].state = AccountState::Paused;
    pool.proxy.controller.applyConfig(paused);
    QCOMPARE(send(pool.proxy, cacheKeyBody("conv")).status, 200);
    QCOMPARE(pool.fake(2).requestCount(), 1);
    pool.proxy.controller.applyConfig(pool.proxy.config); // resumed: the conversation stays where it moved
    QCOMPARE(send(pool.proxy, cacheKeyBody("conv")).status, 200);
    QCOMPARE(pool.fake(2).requestCount(), 2);
    QCOMPARE(pool.fake(1).requestCount(), 1);
}

void tst_AccountRouting::failover_connectionRefused_nextAccountServes()
{
    ProxyTestHarness proxy;
    FakeUpstream fake;
    fake.setDefaultReply(canned());
    proxy.addAccount(1, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort())), "token-1");
    proxy.addAccount(2, fake.baseUrl(), "token-2");
    proxy.config.routing = RoutingStrategy::FillFirst;
    QVERIFY(proxy.start());
    const Response response = send(proxy);
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains("response.completed"));
    QCOMPARE(fake.requestCount(), 1);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().accountId, 2);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("ok"));
}

void tst_AccountRouting::failover_500_nextAccountServes()
{
    Pool pool(2);
    pool.fake(1).setDefaultReply(refusal(500, QStringLiteral("boom")));
    QVERIFY(pool.proxy.start());
    const Response response = send(pool.proxy);
    QCOMPARE(response.status, 200);
    QVERIFY(!response.body.contains("boom")); // the refused attempt is never forwarded
    QCOMPARE(pool.fake(1).requestCount(), 1);
    QCOMPARE(pool.fake(2).requestCount(), 1);
    QTRY_COMPARE(pool.proxy.allRecords().size(), 1);
    QCOMPARE(pool.proxy.allRecords().first().accountId, 2);
}

void tst_AccountRouting::failover_429_nextAccountServes_cooldownHonoured()
{
    Pool pool(2);
    QSignalSpy statusSpy(&pool.proxy.controller, &ProxyController::accountStatusChanged);
    pool.fake(1).setDefaultReply(refusal(429, QStringLiteral("account one is out")));
    QVERIFY(pool.proxy.start());
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QCOMPARE(send(pool.proxy).status, 200);
    QCOMPARE(pool.fake(1).requestCount(), 1);
    QCOMPARE(pool.fake(2).requestCount(), 1);
    // resets_in_seconds: 3600 keeps account 1 out although fill-first prefers it.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(send(pool.proxy).status, 200);
    QCOMPARE(pool.fake(1).requestCount(), 1);
    QCOMPARE(pool.fake(2).requestCount(), 4);
    QTRY_VERIFY(!statuses(statusSpy, 1).isEmpty());
    const QDateTime until = statuses(statusSpy, 1).constLast().cooldownUntil;
    QVERIFY2(until >= before.addSecs(3600) && until <= QDateTime::currentDateTimeUtc().addSecs(3600),
             qPrintable(until.toString(Qt::ISODate)));
}

void tst_AccountRouting::afterFirstByte_noReplay_responseFailed()
{
    Pool pool(2);
    FakeUpstream::Reply cut = canned();
    cut.closeAfterEvents = 2;
    pool.fake(1).setDefaultReply(cut);
    QVERIFY(pool.proxy.start());
    const Response response = send(pool.proxy);
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains("response.created"));
    QVERIFY(response.body.contains("event: response.failed"));
    QCOMPARE(pool.fake(2).requestCount(), 0);
    QTRY_COMPARE(pool.proxy.allRecords().size(), 1);
    QCOMPARE(pool.proxy.allRecords().first().accountId, 1);
    QCOMPARE(pool.proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_AccountRouting::allExhausted_lastUpstream429ReasonAndStatus_thenUsageLimitReached()
{
    Pool pool(4);
    for (int id = 1; id <= 4; ++id)
        pool.fake(id).setDefaultReply(refusal(429, QStringLiteral("out %1").arg(id)));
    QVERIFY(pool.proxy.start());
    const Response response = send(pool.proxy);
    QCOMPARE(response.status, 429);
    QCOMPARE(response.errorMessage(), QStringLiteral("upstream: out 3")); // the last answer's reason
    QCOMPARE(response.json().value(u"error").toObject().value(u"resets_in_seconds").toInt(), 3600);
    for (int id = 1; id <= 3; ++id)
        QCOMPARE(pool.fake(id).requestCount(), 1);
    QCOMPARE(pool.fake(4).requestCount(), 0); // at most three accounts per request
    QTRY_COMPARE(pool.proxy.allRecords().size(), 1);
    QCOMPARE(pool.proxy.allRecords().first().accountId, 3);
    QCOMPARE(pool.proxy.allRecords().first().status, 429);

    QCOMPARE(send(pool.proxy).status, 429); // account 4, the only one left
    const Response cooling = send(pool.proxy);
    QCOMPARE(cooling.status, 429);
    QCOMPARE(cooling.errorCode(), QStringLiteral("usage_limit_reached"));
    QCOMPARE(pool.fake(4).requestCount(), 1);
}

void tst_AccountRouting::unauthorized_refreshed_retrySucceedsOnSameAccount()
{
    Pool pool(2);
    pool.proxy.config.accounts[0].refreshable = true;
    pool.fake(1).setHandler([](const FakeUpstream::Request &request) {
        return request.headers.value("authorization") == "Bearer fresh-1" ? canned()
                                                                          : refusal(401, QStringLiteral("expired"));
    });
    QSignalSpy refreshes(&pool.proxy.controller, &ProxyController::refreshRequested);
    connect(&pool.proxy.controller, &ProxyController::refreshRequested, this, [&pool](qint64 id) {
        pool.proxy.controller.applyAccountToken(id, "fresh-" + QByteArray::number(id));
    });
    QVERIFY(pool.proxy.start());
    const Response response = send(pool.proxy);
    QCOMPARE(response.status, 200);
    QCOMPARE(refreshes.size(), 1);
    QCOMPARE(refreshes.first().first().toLongLong(), 1);
    QCOMPARE(pool.fake(1).requestCount(), 2);
    QCOMPARE(pool.fake(2).requestCount(), 0);
    QTRY_COMPARE(pool.proxy.allRecords().size(), 1);
    QCOMPARE(pool.proxy.allRecords().first().accountId, 1);
    QCOMPARE(send(pool.proxy).status, 200); // later requests use the new token at once
    QCOMPARE(pool.fake(1).requestCount(), 3);
    QCOMPARE(refreshes.size(), 1);
}

void tst_AccountRouting::unauthorized_refreshFailed_failsOverAndSkipsAccount()
{
    Pool pool(2);
    pool.proxy.config.accounts[0].refreshable = true;
    pool.fake(1).setDefaultReply(refusal(401, QStringLiteral("revoked")));
    QSignalSpy statusSpy(&pool.proxy.controller, &ProxyController::accountStatusChanged);
    connect(&pool.proxy.controller, &ProxyController::refreshRequested, this,
            [&pool](qint64 id) { pool.proxy.controller.accountRefreshFailed(id); });
    QVERIFY(pool.proxy.start());
    QCOMPARE(send(pool.proxy).status, 200);
    QCOMPARE(pool.fake(1).requestCount(), 1);
    QCOMPARE(pool.fake(2).requestCount(), 1);
    QCOMPARE(send(pool.proxy).status, 200); // needs re-auth now: skipped
    QCOMPARE(pool.fake(1).requestCount(), 1);
    QTRY_VERIFY(!statuses(statusSpy, 1).isEmpty() && statuses(statusSpy, 1).constLast().needsReauth);
    QTRY_COMPARE(pool.proxy.allRecords().size(), 2);
    QCOMPARE(accountIds(pool.proxy), QList<qint64>({2, 2}));
}

void tst_AccountRouting::unauthorized_notRefreshable_failsOverAtOnce()
{
    Pool pool(2);
    pool.fake(1).setDefaultReply(refusal(401, QStringLiteral("bad key")));
    QSignalSpy refreshes(&pool.proxy.controller, &ProxyController::refreshRequested);
    QVERIFY(pool.proxy.start());
    QCOMPARE(send(pool.proxy).status, 200);
    QCOMPARE(pool.fake(1).requestCount(), 1);
    QCOMPARE(pool.fake(2).requestCount(), 1);
    QCOMPARE(refreshes.size(), 0);
}

void tst_AccountRouting::unauthorized_lastAccount_502UpstreamAuthFailed_accountNeedsReauth()
{
    // A dead upstream credential is not the client's bad key: 502 upstream_auth_failed, never a 401.
    Pool pool(1);
    pool.fake(1).setDefaultReply(FakeUpstream::Reply::json(
        {{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), QStringLiteral("Incorrect API key provided")},
                                               {QStringLiteral("type"), QStringLiteral("invalid_request_error")},
                                               {QStringLiteral("code"), QStringLiteral("invalid_api_key")}}}},
        401));
    QSignalSpy statusSpy(&pool.proxy.controller, &ProxyController::accountStatusChanged);
    QVERIFY(pool.proxy.start());
    const Response refused = send(pool.proxy);
    QCOMPARE(refused.status, 502);
    const QJsonObject error = QJsonDocument::fromJson(refused.body).object().value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("upstream_auth_failed"));
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("server_error"));
    QVERIFY2(error.value(u"message").toString().contains(u"Incorrect API key provided"), refused.body.constData());
    QVERIFY(error.value(u"message").toString().contains(u"re-authentication"));
    QTRY_VERIFY(!statuses(statusSpy, 1).isEmpty() && statuses(statusSpy, 1).constLast().needsReauth);
    // Until a new credential is set the account is skipped: the client hears why, the upstream nothing.
    const Response next = send(pool.proxy);
    QCOMPARE(next.status, 503);
    QCOMPARE(pool.fake(1).requestCount(), 1);
}

void tst_AccountRouting::unauthorized_concurrent_oneRefreshRequested()
{
    constexpr int Requests = 3;
    Pool pool(1);
    pool.proxy.config.accounts[0].refreshable = true;
    pool.fake(1).setHandler([](const FakeUpstream::Request &request) {
        return request.headers.value("authorization") == "Bearer fresh" ? canned()
                                                                        : refusal(401, QStringLiteral("expired"));
    });
    QSignalSpy refreshes(&pool.proxy.controller, &ProxyController::refreshRequested);
    QVERIFY(pool.proxy.start());
    QNetworkAccessManager nam;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < Requests; ++i)
        replies.append(post(nam, pool.proxy.port, PlainBody));
    // All three got their 401 and wait for the one refresh.
    QTRY_COMPARE(pool.fake(1).requestCount(), Requests);
    QTRY_COMPARE(refreshes.size(), 1);
    pool.proxy.controller.applyAccountToken(1, "fresh");
    for (QNetworkReply *reply : replies)
        QCOMPARE(finish(reply).status, 200);
    QCOMPARE(refreshes.size(), 1);
    QCOMPARE(pool.fake(1).requestCount(), 2 * Requests);
}

void tst_AccountRouting::noUsableAccount_503NoAccounts()
{
    Pool pool(2);
    for (UpstreamAccount &account : pool.proxy.config.accounts)
        account.state = AccountState::Paused;
    QVERIFY(pool.proxy.start());
    const Response response = send(pool.proxy);
    QCOMPARE(response.status, 503);
    QCOMPARE(response.errorCode(), QStringLiteral("no_accounts"));
    QVERIFY2(response.errorMessage().contains(u"paused"), qPrintable(response.errorMessage()));
    QCOMPARE(pool.fake(1).requestCount() + pool.fake(2).requestCount(), 0);
    QTRY_COMPARE(pool.proxy.allRecords().size(), 1);
    QCOMPARE(pool.proxy.allRecords().first().accountId, 0);
    QCOMPARE(pool.proxy.allRecords().first().status, 503);
}

QTEST_GUILESS_MAIN(tst_AccountRouting)
#include "tst_accountrouting.moc"
