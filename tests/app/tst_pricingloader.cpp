// SPDX-License-Identifier: MIT
#include "app/core/services/PricingLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

class tst_PricingLoader final : public QObject
{
    Q_OBJECT

private slots:
    void builtInTable_hasCurrentModelsAndItsDate()
    {
        QTemporaryDir dir;
        const auto pricing = PricingLoader::load(dir.path());
        QVERIFY2(pricing.ok(), qPrintable(pricing.error()));
        QVERIFY(pricing.value()->takenOn().startsWith(u"2026-"));
        QCOMPARE(pricing.value()->priceFor(QStringLiteral("gpt-5.4"))->output, 15.0);
        QCOMPARE(pricing.value()->priceFor(QStringLiteral("gpt-5.3-codex"))->input, 1.75);
        QVERIFY(!pricing.value()->priceFor(QStringLiteral("some-local-model")));
    }

    void userOverride_replacesAndAdds()
    {
        QTemporaryDir dir;
        QFile file(PricingLoader::overridePath(dir.path()));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"models\":{\"gpt-5.4\":{\"input\":1,\"cached_input\":0.1,\"output\":2},"
                   "\"some-local-model\":{\"input\":0,\"output\":0}}}");
        file.close();
        const auto pricing = PricingLoader::load(dir.path());
        QVERIFY2(pricing.ok(), qPrintable(pricing.error()));
        QCOMPARE(pricing.value()->priceFor(QStringLiteral("gpt-5.4"))->output, 2.0);
        QVERIFY(pricing.value()->priceFor(QStringLiteral("some-local-model")).has_value());
        QCOMPARE(pricing.value()->priceFor(QStringLiteral("gpt-5.5"))->input, 5.0); // the rest stays built in
    }

    void brokenOverride_isAnErrorNamingTheFile()
    {
        QTemporaryDir dir;
        QFile file(PricingLoader::overridePath(dir.path()));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"models\":{\"gpt-5.4\":{\"input\":-1,\"output\":2}}}");
        file.close();
        const auto pricing = PricingLoader::load(dir.path());
        QVERIFY(!pricing.ok());
        QVERIFY(pricing.error().contains(PricingLoader::overridePath(dir.path())));
    }
};

QTEST_GUILESS_MAIN(tst_PricingLoader)
#include "tst_pricingloader.moc"
