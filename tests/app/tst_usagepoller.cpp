// SPDX-License-Identifier: MIT
// The usage endpoint poll: parsing of /wham/usage answers, and real requests to a fake upstream.
#include "app/core/runtime/UsagePoller.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace Core;
using Proxy::FakeUpstream;

namespace {

const QDateTime Now = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

Proxy::UpstreamAccount codexAccount(qint64 id, const QUrl &base)
{
    Proxy::UpstreamAccount account;
    account.id = id;
    account.name = QStringLiteral("a%1").arg(id);
    account.upstream.kind = Proxy::UpstreamConfig::Kind::Codex;
    account.upstream.baseUrl = base;
    account.upstream.accountId = QStringLiteral("acct-%1").arg(id);
    account.upstream.token = "token-" + QByteArray::number(id);
    return account;
}

} // namespace

class tst_UsagePoller final : public QObject
{
    Q_OBJECT

private slots:
    void parse_bothWindows()
    {
        const Proxy::QuotaWindows windows = UsagePoller::parse(
            "{\"plan_type\":\"plus\",\"rate_limit\":{\"primary_window\":{\"used_percent\":40.4,\"reset_after_seconds\":3600,"
            "\"limit_window_seconds\":18000},\"secondary_window\":{\"used_percent\":12,\"reset_at\":1800000000}}}",
            Now);
        QCOMPARE(windows.primaryUsedPercent, std::optional<int>(40));
        QCOMPARE(windows.primaryResetAt, Now.addSecs(3600));
        QCOMPARE(windows.secondaryUsedPercent, std::optional<int>(12));
        QCOMPARE(windows.secondaryResetAt, QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC));
    }

    void parse_weeklyOnlyIsTheSecondaryWindow()
    {
        const Proxy::QuotaWindows windows = UsagePoller::parse(
            "{\"rate_limit\":{\"primary_window\":{\"used_percent\":70,\"limit_window_seconds\":604800}}}", Now);
        QVERIFY(!windows.primaryUsedPercent);
        QCOMPARE(windows.secondaryUsedPercent, std::optional<int>(70));
    }

    void parse_garbageGivesNothing()
    {
        const Proxy::QuotaWindows windows = UsagePoller::parse("not json", Now);
        QVERIFY(!windows.primaryUsedPercent && !windows.secondaryUsedPercent);
        QVERIFY(!windows.primaryResetAt.isValid());
    }

    void poll_asksEachChatGptAccountOncePerMinute()
    {
        FakeUpstream upstream;
        upstream.setReply("/backend-api/wham/usage",
                          FakeUpstream::Reply::json(QJsonObject{
                              {QStringLiteral("rate_limit"),
                               QJsonObject{{QStringLiteral("primary_window"),
                                            QJsonObject{{QStringLiteral("used_percent"), 55}}}}}}));
        QUrl base = upstream.baseUrl();
        base.setPath(QStringLiteral("/backend-api"));
        Proxy::UpstreamAccount openai = codexAccount(3, base);
        openai.upstream.kind = Proxy::UpstreamConfig::Kind::OpenAI;
        Proxy::UpstreamAccount paused = codexAccount(4, base);
        paused.state = Proxy::AccountState::Paused;
        UsagePoller poller;
        QSignalSpy fetched(&poller, &UsagePoller::quotaFetched);
        QCOMPARE(poller.poll({codexAccount(1, base), openai, paused}), 1); // only the usable ChatGPT account
        QVERIFY(fetched.wait(5000));
        QCOMPARE(fetched.first().at(0).toLongLong(), 1);
        QCOMPARE(fetched.first().at(1).value<Proxy::QuotaWindows>().primaryUsedPercent, std::optional<int>(55));
        QCOMPARE(upstream.requestCount(), 1);
        const FakeUpstream::Request request = upstream.lastRequest();
        QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer token-1"));
        QCOMPARE(request.headers.value("chatgpt-account-id"), QByteArray("acct-1"));
        // A configuration change within the minute: not asked again, but a new account is.
        QCOMPARE(poller.poll({codexAccount(1, base), codexAccount(2, base)}), 1);
        QVERIFY(fetched.wait(5000));
        QCOMPARE(fetched.last().at(0).toLongLong(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_UsagePoller)
#include "tst_usagepoller.moc"
