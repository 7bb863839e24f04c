// SPDX-License-Identifier: MIT
// Integration: failed-auth throttling on the real proxy — a flood of wrong keys from one peer is
// answered 429 with Retry-After once its budget is spent, leaves one trace row per window and no
// request rows, while a valid key from the same peer and another peer's attempts go on as before.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/proxy/server/RawRequestTestSupport.h"
#include "tests/support/RawHttpClient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Proxy;
using namespace TestSupport;

namespace {

QByteArray guess(int i)
{
    return "sk-kg-guess" + QByteArray::number(i).rightJustified(40, '0');
}

int statusOf(RawHttpClient &client, const ProxyTestHarness &proxy, const QByteArray &key,
             RawHttpClient::Response *out = nullptr)
{
    client.send(proxy.rawPost("/v1/responses", Body, {"Authorization: Bearer " + key}));
    const auto response = client.readResponse(5000);
    if (!response)
        return 0;
    if (out)
        *out = *response;
    return response->status;
}

} // namespace

class tst_AuthThrottle final : public QObject
{
    Q_OBJECT

private slots:
    void flood_pastBudget_429RetryAfterValidKeyStillServed();
    void flood_tracesOneRowPerWindowNoRequestRows();
    void flood_otherPeerNotThrottled();
};

void tst_AuthThrottle::flood_pastBudget_429RetryAfterValidKeyStillServed()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned())); // default budget: 30 per minute
    RawHttpClient client;
    QVERIFY(client.connectTo(proxy.port));

    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 30; ++i)
        QCOMPARE(statusOf(client, proxy, guess(i)), 401);
    // The budget refills at 30 per minute (one every 2 s), so a slow run may see a 401 or two more.
    int refilled = 0;
    for (int i = 30; i < 120; ++i) {
        RawHttpClient::Response response;
        const int status = statusOf(client, proxy, guess(i), &response);
        if (status == 401) {
            ++refilled;
        } else {
            QCOMPARE(status, 429);
            const int retryAfter = response.headers.value("retry-after").toInt();
            QVERIFY(retryAfter >= 1 && retryAfter <= 2);
            const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(u"error").toObject();
            QCOMPARE(error.value(u"type").toString(), QStringLiteral("rate_limit_error"));
            QCOMPARE(error.value(u"code").toString(), QStringLiteral("too_many_failed_attempts"));
        }
        if (i % 10 == 0) // the valid key, interleaved with the flood, from the same peer
            QCOMPARE(statusOf(client, proxy, ProxyTestHarness::PiKey.toByteArray()), 200);
    }
    QVERIFY2(refilled <= 1 + clock.elapsed() / 2000, qPrintable(QStringLiteral("%1 401s in %2 ms").arg(refilled).arg(clock.elapsed())));
    // A guess dressed as a key of ours (same last four characters) is looked up, and still throttled.
    QCOMPARE(statusOf(client, proxy, "sk-kg-NotPiNotPiNotPiNotPiNotPiNotPiNotPiNotPiNotPiQ3xf"), 429);
    QCOMPARE(statusOf(client, proxy, ProxyTestHarness::CiKey.toByteArray()), 200);
    QCOMPARE(fake.requestCount(), 10);
}

void tst_AuthThrottle::flood_tracesOneRowPerWindowNoRequestRows()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.authFailureBudget = 5;
    QVERIFY(proxy.startWith(fake, canned()));
    RawHttpClient client;
    QVERIFY(client.connectTo(proxy.port));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(statusOf(client, proxy, guess(i)), 401);
    for (int i = 5; i < 505; ++i)
        QCOMPARE(statusOf(client, proxy, guess(i)), 429);

    QSignalSpy stopped(&proxy.controller, &ProxyController::stopped);
    proxy.controller.stop(1000);
    QVERIFY(stopped.wait(5000));
    QTRY_COMPARE(proxy.allTraces().size(), 5 + 1 + 1);
    const QList<AuthTrace> traces = proxy.allTraces();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(traces[i].status, 401);
    QCOMPARE(traces[5].status, 429); // the attempt that opened the window
    QVERIFY2(traces[5].reason.startsWith(QStringLiteral("peer 127.0.0.1: failed-auth budget of 5/min spent")),
             qPrintable(traces[5].reason));
    QCOMPARE(traces[6].reason, QStringLiteral("peer 127.0.0.1: 499 more failed attempts throttled"));
    QCOMPARE(toString(traces[6].verdict), QStringLiteral("denied"));
    QCOMPARE(proxy.allRecords().size(), 5); // the 401s; no row for a throttled attempt
    for (const RequestRecord &record : proxy.allRecords())
        QCOMPARE(record.status, 401);
}

void tst_AuthThrottle::flood_otherPeerNotThrottled()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    proxy.config.authFailureBudget = 3;
    QVERIFY(proxy.startWith(fake, canned()));
    RawHttpClient flooder;
    QVERIFY(flooder.connectTo(proxy.port));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(statusOf(flooder, proxy, guess(i)), 401);
    QCOMPARE(statusOf(flooder, proxy, guess(3)), 429);

    RawHttpClient other; // another loopback address: another peer
    QVERIFY(other.socket().bind(QHostAddress(QStringLiteral("127.0.0.2"))));
    QVERIFY(other.connectTo(proxy.port));
    QCOMPARE(statusOf(other, proxy, guess(100)), 401);
    // A request without any key is not an attempt: answered as before, even from the throttled peer.
    flooder.send(proxy.rawPost("/v1/responses", Body, {}));
    const auto missing = flooder.readResponse(5000);
    QVERIFY(missing);
    QCOMPARE(missing->status, 401);
}

QTEST_GUILESS_MAIN(tst_AuthThrottle)
#include "tst_auththrottle.moc"
