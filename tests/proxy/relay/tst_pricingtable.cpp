// SPDX-License-Identifier: MIT
#include "proxy/relay/PricingTable.h"

#include <QtTest>

using namespace Proxy;

namespace {

PricingTable table(const QByteArray &json)
{
    QString error;
    const std::optional<PricingTable> parsed = PricingTable::fromJson(json, &error);
    if (!parsed)
        qWarning("%s", qPrintable(error));
    return parsed.value_or(PricingTable{});
}

const QByteArray Sample = "{\"taken\":\"2026-11-28\",\"models\":{"
                          "\"gpt-5.4\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15},"
                          "\"gpt-5.4*\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15},"
                          "\"gpt-5.4-mini*\":{\"input\":0.75,\"cached_input\":0.075,\"output\":4.5},"
                          "\"plain\":{\"input\":1,\"output\":2}}}";

} // namespace

class tst_PricingTable final : public QObject
{
    Q_OBJECT

private slots:
    void cost_billableCachedAndOutput()
    {
        const PricingTable prices = table(Sample);
        // 300 input of which 100 cached: 200 × 2.5 + 100 × 0.25 + 40 × 15 = 1125 micro-dollars
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), {300, 100, 40, 0, 340}), std::optional<qint64>(1125));
        QCOMPARE(prices.takenOn(), QStringLiteral("2026-11-28"));
    }

    void resolve_exactThenLongestPrefix()
    {
        const PricingTable prices = table(Sample);
        QCOMPARE(prices.priceFor(QStringLiteral("gpt-5.4-2026-10-01"))->input, 2.5);
        QCOMPARE(prices.priceFor(QStringLiteral("gpt-5.4-mini-fast"))->input, 0.75); // longer prefix wins
        QVERIFY(!prices.priceFor(QStringLiteral("gpt-4o")));
        QVERIFY(!prices.priceFor(QStringLiteral("gpt-5")));  // shorter than every pattern: unknown
    }

    void unknownModel_costIsUnknownNotZero()
    {
        QVERIFY(!table(Sample).costMicros(QStringLiteral("o9-preview"), {100, 0, 100, 0, 200}).has_value());
    }

    void cachedRateDefaultsToInput_cachedClampedToInput()
    {
        const PricingTable prices = table(Sample);
        QCOMPARE(prices.costMicros(QStringLiteral("plain"), {10, 4, 0, 0, 10}), std::optional<qint64>(10));
        // A broken usage with more cached than input tokens bills at most the input tokens.
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), {10, 50, 0, 0, 10}), std::optional<qint64>(3));
    }

    void invalidEntry_isAnErrorNamingIt()
    {
        QString error;
        QVERIFY(!PricingTable::fromJson("{\"models\":{\"bad\":{\"input\":\"cheap\",\"output\":1}}}", &error));
        QVERIFY(error.contains(u"\"bad\""));
        QVERIFY(!PricingTable::fromJson("[]", &error));
    }

    void merge_overridesAndAdds()
    {
        PricingTable prices = table(Sample);
        prices.merge(table("{\"taken\":\"mine\",\"models\":{\"gpt-5.4\":{\"input\":1,\"output\":1},"
                           "\"local-llm\":{\"input\":0,\"output\":0}}}"));
        QCOMPARE(prices.priceFor(QStringLiteral("gpt-5.4"))->input, 1.0);
        QCOMPARE(prices.costMicros(QStringLiteral("local-llm"), {100, 0, 100, 0, 200}), std::optional<qint64>(0));
        QCOMPARE(prices.takenOn(), QStringLiteral("mine"));
    }

    void tiers_priorityFlexAndLongContextRates()
    {
        const PricingTable prices = table(
            "{\"models\":{\"gpt-5.4\":{\"input\":2.5,\"cached_input\":0.25,\"output\":15,"
            "\"priority\":{\"input\":5,\"output\":30},\"flex\":{\"input\":1.25,\"output\":7.5}},"
            "\"gpt-5\":{\"input\":1.25,\"cached_input\":0.125,\"output\":10}}}");
        const TokenUsage usage{300, 100, 40, 0, 340};
        // priority: 200 × 5 + 100 × 0.5 (cached scales with input) + 40 × 30 = 2250
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), usage, u"priority"), std::optional<qint64>(2250));
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), usage, u"fast"), std::optional<qint64>(2250));
        // flex: 200 × 1.25 + 100 × 0.125 + 40 × 7.5 = 562.5 → 563
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), usage, u"flex"), std::optional<qint64>(563));
        // No published priority rates: 2 × standard. "auto"/"default" are standard.
        // gpt-5: 662.5 µ$ at standard rates, 1325 at priority.
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5"), usage, u"priority"), std::optional<qint64>(1325));
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), usage, u"auto"), std::optional<qint64>(1125));
        // Above 272 000 input tokens: ×2 input, ×1.5 output.
        const TokenUsage huge{300'000, 0, 1000, 0, 301'000};
        QCOMPARE(prices.costMicros(QStringLiteral("gpt-5.4"), huge),
                 std::optional<qint64>(300'000 * 5 + 1000 * 22.5));
    }

    void tiers_badTierEntryNamesTheModel()
    {
        QString error;
        QVERIFY(!PricingTable::fromJson("{\"models\":{\"m\":{\"input\":1,\"output\":2,\"flex\":{\"input\":-1,\"output\":1}}}}",
                                        &error));
        QVERIFY2(error.contains(QStringLiteral("\"m\"")) && error.contains(QStringLiteral("flex")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_PricingTable)
#include "tst_pricingtable.moc"
