// SPDX-License-Identifier: MIT
// Benchmark: the key-policy step on the request path — allowlists, then LimitEnforcer::admit and the
// settle of the finished request — for a key with three limits (daily tokens, monthly cost, a
// per-model 5-hour output limit) and 30 days of hourly history. Run with -callgrind for instruction counts.
#include "proxy/policy/AccessCheck.h"
#include "proxy/policy/LimitEnforcer.h"

#include <QTest>

using namespace Proxy;

class bench_Policy final : public QObject
{
    Q_OBJECT

private slots:
    void admitAndSettle()
    {
        KeyEntry key;
        key.id = 1;
        key.createdAt = QDateTime::currentDateTimeUtc().addDays(-40);
        key.policy.allowedModels = {QStringLiteral("gpt-5.4"), QStringLiteral("gpt-5.4-mini")};
        key.policy.allowedEfforts = {QStringLiteral("low"), QStringLiteral("medium")};
        key.policy.limits = {{1, LimitType::TotalTokens, LimitWindow::Day, 1'000'000'000, {}},
                             {2, LimitType::CostMicros, LimitWindow::Month, 1'000'000'000, {}},
                             {3, LimitType::OutputTokens, LimitWindow::FiveHours, 1'000'000'000, QStringLiteral("gpt-5.4")}};
        KeySnapshot keys;
        keys.insert("k", key);
        QList<HourlyUsage> history;
        const qint64 now = QDateTime::currentSecsSinceEpoch() / 3600;
        for (qint64 hour = now - 720; hour <= now; ++hour)
            history.append({1, QStringLiteral("gpt-5.4"), hour, 1000, 100, 1100, 500});
        LimitEnforcer limits;
        limits.setPricing(std::make_shared<const PricingTable>(
            *PricingTable::fromJson("{\"models\":{\"gpt-5.4*\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15}}}")));
        limits.setBaseline(history);
        limits.applyKeys(keys);
        const QString model = QStringLiteral("gpt-5.4");
        const QString effort = QStringLiteral("low");
        const TokenUsage usage{1200, 1000, 80, 30, 1280};
        QBENCHMARK {
            const QDateTime at = QDateTime::currentDateTimeUtc();
            const PolicyDecision access = checkAccess(key.policy, model, effort);
            const PolicyDecision admitted = limits.admit(key, {model, 30'000}, at);
            limits.settle(admitted.reservation, key.id, model, at, usage, 1950);
            if (!access.allowed() || !admitted.allowed())
                QFAIL("refused");
        }
    }
};

QTEST_GUILESS_MAIN(bench_Policy)
#include "bench_policy.moc"
