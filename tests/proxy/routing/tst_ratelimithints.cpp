// SPDX-License-Identifier: MIT
#include "proxy/routing/RateLimitHints.h"

#include <QTest>

using namespace Proxy;

namespace {

const QDateTime Now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

HttpHeaders headers(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    HttpHeaders out;
    for (const auto &[name, value] : fields)
        out.append(name, value);
    return out;
}

} // namespace

class tst_RateLimitHints final : public QObject
{
    Q_OBJECT

private slots:
    void quotaWindows_fromHeaders_readsPercentsAndResets();
    void quotaWindows_invalidOrMissing_unset();
    void resetAt_retryAfterSecondsOrDate();
    void resetAt_bodyResetsAtOrResetsInSeconds();
    void resetAt_quotaHeaders_secondaryWhenExhausted();
    void resetAt_nothingUsable_invalid();
};

void tst_RateLimitHints::quotaWindows_fromHeaders_readsPercentsAndResets()
{
    const QuotaWindows windows = QuotaWindows::fromHeaders(
        headers({{"x-codex-primary-used-percent", "12.6"},
                 {"x-codex-secondary-used-percent", "100"},
                 {"x-codex-primary-reset-after-seconds", "300"},
                 {"x-codex-secondary-reset-at", "1800003600"}}),
        Now);
    QCOMPARE(windows.primaryUsedPercent, std::optional<int>(13));
    QCOMPARE(windows.secondaryUsedPercent, std::optional<int>(100));
    QCOMPARE(windows.primaryResetAt, Now.addSecs(300));
    QCOMPARE(windows.secondaryResetAt, Now.addSecs(3600));
}

void tst_RateLimitHints::quotaWindows_invalidOrMissing_unset()
{
    const QuotaWindows windows = QuotaWindows::fromHeaders(
        headers({{"x-codex-primary-used-percent", "abc"},
                 {"x-codex-secondary-used-percent", "-5"},
                 {"x-codex-primary-reset-after-seconds", "soon"},
                 {"x-codex-secondary-reset-after-seconds", "99999999999"}}),
        Now);
    QVERIFY(!windows.primaryUsedPercent);
    QVERIFY(!windows.secondaryUsedPercent);
    QVERIFY(!windows.primaryResetAt.isValid());
    QVERIFY(!windows.secondaryResetAt.isValid());
    QCOMPARE(QuotaWindows::fromHeaders(headers({{"x-codex-primary-used-percent", "140"}}), Now).primaryUsedPercent,
             std::optional<int>(100));
}

void tst_RateLimitHints::resetAt_retryAfterSecondsOrDate()
{
    QCOMPARE(rateLimitResetAt(headers({{"Retry-After", "42"}}), {}, Now), Now.addSecs(42));
    const QDateTime date = Now.addSecs(90);
    const QByteArray httpDate =
        QLocale::c().toString(date, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
    QCOMPARE(rateLimitResetAt(headers({{"retry-after", httpDate}}), {}, Now), date);
    // Retry-After wins over the body and the quota headers.
    QCOMPARE(rateLimitResetAt(headers({{"retry-after", "5"}, {"x-codex-primary-reset-after-seconds", "60"}}),
                              "{\"error\":{\"resets_in_seconds\":10}}", Now),
             Now.addSecs(5));
}

void tst_RateLimitHints::resetAt_bodyResetsAtOrResetsInSeconds()
{
    QCOMPARE(rateLimitResetAt({}, "{\"error\":{\"type\":\"usage_limit_reached\",\"resets_at\":1800000600}}", Now),
             Now.addSecs(600));
    QCOMPARE(rateLimitResetAt({}, "{\"error\":{\"resets_in_seconds\":120}}", Now), Now.addSecs(120));
    QCOMPARE(rateLimitResetAt({}, "{\"resets_in_seconds\":\"30\"}", Now), Now.addSecs(30));
    // The body wins over the quota headers.
    QCOMPARE(rateLimitResetAt(headers({{"x-codex-primary-reset-after-seconds", "60"}}),
                              "{\"error\":{\"resets_in_seconds\":120}}", Now),
             Now.addSecs(120));
}

void tst_RateLimitHints::resetAt_quotaHeaders_secondaryWhenExhausted()
{
    QCOMPARE(rateLimitResetAt(headers({{"x-codex-primary-reset-after-seconds", "60"},
                                       {"x-codex-secondary-reset-after-seconds", "6000"}}),
                              {}, Now),
             Now.addSecs(60));
    QCOMPARE(rateLimitResetAt(headers({{"x-codex-primary-reset-after-seconds", "60"},
                                       {"x-codex-secondary-used-percent", "100"},
                                       {"x-codex-secondary-reset-after-seconds", "6000"}}),
                              {}, Now),
             Now.addSecs(6000));
}

void tst_RateLimitHints::resetAt_nothingUsable_invalid()
{
    QVERIFY(!rateLimitResetAt({}, {}, Now).isValid());
    QVERIFY(!rateLimitResetAt({}, "not json", Now).isValid());
    QVERIFY(!rateLimitResetAt(headers({{"retry-after", "tomorrow"}}), {}, Now).isValid());
    QVERIFY(!rateLimitResetAt({}, "{\"error\":{\"resets_at\":1700000000}}", Now).isValid()); // in the past
}

QTEST_GUILESS_MAIN(tst_RateLimitHints)
#include "tst_ratelimithints.moc"
