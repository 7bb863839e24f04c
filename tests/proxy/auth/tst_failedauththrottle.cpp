// SPDX-License-Identifier: MIT
// Unit: FailedAuthThrottle with an injected clock — grouping of peers, the budget and its decay,
// one summary per peer and window, and the bound on its memory.
#include "proxy/auth/FailedAuthThrottle.h"

#include <QTest>

using namespace Proxy;

namespace {

QHostAddress ip(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}

void fail(FailedAuthThrottle &throttle, const QHostAddress &peer, int times, qint64 nowMs)
{
    for (int i = 0; i < times; ++i)
        throttle.recordFailure(peer, nowMs);
}

} // namespace

class tst_FailedAuthThrottle final : public QObject
{
    Q_OBJECT

private slots:
    void peerKey_ipv6SameSlash64_grouped();
    void peerKey_ipv4MappedIpv6_sameAsIpv4();
    void recordFailure_budgetSpent_throttledWithRetryAfter();
    void retryAfter_otherPeer_notThrottled();
    void retryAfter_afterRefill_notThrottled();
    void recordThrottled_oneWindow_oneSummaryOfTheRest();
    void takeSummaries_decayedPeer_forgotten();
    void rotatingAddresses_tableCappedAndSummaryKept();
};

void tst_FailedAuthThrottle::peerKey_ipv6SameSlash64_grouped()
{
    FailedAuthThrottle throttle(3);
    // Three addresses of one /64 share the budget; a neighbouring /64 does not.
    throttle.recordFailure(ip("2001:db8:1:2::1"), 0);
    throttle.recordFailure(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), 0);
    throttle.recordFailure(ip("2001:db8:1:2:abcd::9"), 0);
    QVERIFY(throttle.retryAfterSeconds(ip("2001:db8:1:2::77"), 0) > 0);
    QCOMPARE(throttle.retryAfterSeconds(ip("2001:db8:1:3::1"), 0), 0);
    QCOMPARE(throttle.size(), 1);
    QCOMPARE(FailedAuthThrottle::peerLabel(ip("2001:db8:1:2:abcd::9")), QStringLiteral("2001:db8:1:2::/64"));
}

void tst_FailedAuthThrottle::peerKey_ipv4MappedIpv6_sameAsIpv4()
{
    QCOMPARE(FailedAuthThrottle::peerKey(ip("::ffff:192.0.2.7")), FailedAuthThrottle::peerKey(ip("192.0.2.7")));
    QVERIFY(FailedAuthThrottle::peerKey(ip("192.0.2.7")) != FailedAuthThrottle::peerKey(ip("192.0.2.8")));
    QCOMPARE(FailedAuthThrottle::peerLabel(ip("::ffff:192.0.2.7")), QStringLiteral("192.0.2.7"));
}

void tst_FailedAuthThrottle::recordFailure_budgetSpent_throttledWithRetryAfter()
{
    FailedAuthThrottle throttle(30); // 30 at once, then one every 2 s
    const QHostAddress peer = ip("192.0.2.7");
    fail(throttle, peer, 29, 1000);
    QCOMPARE(throttle.retryAfterSeconds(peer, 1000), 0);
    throttle.recordFailure(peer, 1000);
    QCOMPARE(throttle.retryAfterSeconds(peer, 1000), 2);
    QCOMPARE(throttle.retryAfterSeconds(peer, 2500), 1); // 1.5 s of the 2 s refilled: rounds up
}

void tst_FailedAuthThrottle::retryAfter_otherPeer_notThrottled()
{
    FailedAuthThrottle throttle(2);
    fail(throttle, ip("192.0.2.7"), 2, 0);
    QVERIFY(throttle.retryAfterSeconds(ip("192.0.2.7"), 0) > 0);
    QCOMPARE(throttle.retryAfterSeconds(ip("192.0.2.8"), 0), 0);
    QCOMPARE(throttle.retryAfterSeconds(ip("::1"), 0), 0);
}

void tst_FailedAuthThrottle::retryAfter_afterRefill_notThrottled()
{
    FailedAuthThrottle throttle(30);
    const QHostAddress peer = ip("192.0.2.7");
    fail(throttle, peer, 30, 0);
    QVERIFY(throttle.retryAfterSeconds(peer, 1999) > 0);
    QCOMPARE(throttle.retryAfterSeconds(peer, 2000), 0); // one token back after 2 s
    throttle.recordFailure(peer, 2000);
    QVERIFY(throttle.retryAfterSeconds(peer, 2000) > 0); // and spent again
    QCOMPARE(throttle.retryAfterSeconds(peer, 2000 + 60'000), 0);
    fail(throttle, peer, 29, 2000 + 60'000); // a full minute refilled the whole budget
    QCOMPARE(throttle.retryAfterSeconds(peer, 2000 + 60'000), 0);
}

void tst_FailedAuthThrottle::recordThrottled_oneWindow_oneSummaryOfTheRest()
{
    FailedAuthThrottle throttle(1);
    const QHostAddress peer = ip("2001:db8::5");
    throttle.recordFailure(peer, 0);
    QVERIFY(throttle.recordThrottled(peer, 0)); // opens the window: traced by the caller
    for (int i = 0; i < 500; ++i)
        QVERIFY(!throttle.recordThrottled(peer, 10 + i));
    QVERIFY(throttle.takeSummaries(30'000).isEmpty()); // the window is still open
    const QList<FailedAuthThrottle::Summary> summaries = throttle.takeSummaries(FailedAuthThrottle::WindowMs);
    QCOMPARE(summaries.size(), 1);
    QCOMPARE(summaries.first().peer, QStringLiteral("2001:db8::/64"));
    QCOMPARE(summaries.first().count, 500);
    QVERIFY(throttle.takeSummaries(FailedAuthThrottle::WindowMs + 1).isEmpty());
    QVERIFY(throttle.recordThrottled(peer, FailedAuthThrottle::WindowMs + 5)); // the next window
    QCOMPARE(throttle.takeSummaries(FailedAuthThrottle::WindowMs + 6, true).size(), 0); // nothing more in it
}

void tst_FailedAuthThrottle::takeSummaries_decayedPeer_forgotten()
{
    FailedAuthThrottle throttle(30);
    fail(throttle, ip("192.0.2.7"), 10, 0);
    throttle.takeSummaries(1000);
    QCOMPARE(throttle.size(), 1); // still owes 10 tokens
    throttle.takeSummaries(20'000);
    QCOMPARE(throttle.size(), 0); // 10 tokens back after 20 s: nothing to remember
    QCOMPARE(throttle.retryAfterSeconds(ip("192.0.2.7"), 20'000), 0);
}

void tst_FailedAuthThrottle::rotatingAddresses_tableCappedAndSummaryKept()
{
    FailedAuthThrottle throttle(1);
    // The first peer is throttled with attempts pending in its window, then 3 × MaxPeers others fail
    // once each within the same second: the table never grows past its cap, and the evicted first
    // peer's window still becomes a summary.
    const QHostAddress first = ip("10.0.0.1");
    throttle.recordFailure(first, 0);
    throttle.recordThrottled(first, 0);
    throttle.recordThrottled(first, 1);
    for (quint32 i = 0; i < 3 * FailedAuthThrottle::MaxPeers; ++i) {
        throttle.recordFailure(QHostAddress(0x0B000000u + i), 2 + i / 10'000);
        QVERIFY(throttle.size() <= FailedAuthThrottle::MaxPeers);
    }
    QVERIFY(throttle.size() >= FailedAuthThrottle::MaxPeers - FailedAuthThrottle::MaxPeers / 8);
    const QList<FailedAuthThrottle::Summary> summaries = throttle.takeSummaries(3);
    QCOMPARE(summaries.size(), 1);
    QCOMPARE(summaries.first().peer, QStringLiteral("10.0.0.1"));
    QCOMPARE(summaries.first().count, 1);
}

QTEST_GUILESS_MAIN(tst_FailedAuthThrottle)
#include "tst_failedauththrottle.moc"
