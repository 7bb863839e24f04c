// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/UsageRepository.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

class tst_UsageRepository final : public QObject
{
    Q_OBJECT

private slots:
    void totals_emptyDatabase_areZero()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        UsageRepository usage(db.connection());
        QVERIFY(usage.totalsByKey().value().isEmpty());
        QCOMPARE(usage.overall().value(), Proxy::UsageTotals());
        QVERIFY(usage.perKey().value().isEmpty());
    }

    void totals_mixedRows_countRowsAndSumKnownTokens()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        KeyService keys(db, secrets);
        const qint64 a = keys.create(QStringLiteral("a")).value().record.id;
        const qint64 b = keys.create(QStringLiteral("b")).value().record.id;

        QList<Proxy::RequestRecord> records;
        for (const auto &[keyId, usage] : QList<QPair<qint64, std::optional<Proxy::TokenUsage>>>{
                 {a, Proxy::TokenUsage{100, 10, 50, 5, 150}},
                 {a, Proxy::TokenUsage{1, 0, 2, 0, 3}},
                 {a, std::nullopt},
                 {0, Proxy::TokenUsage{7, 0, 7, 0, 14}}}) {
            Proxy::RequestRecord record;
            record.keyId = keyId;
            record.usage = usage;
            records.append(record);
        }
        QVERIFY(RecordWriter(db.connection()).write(records, {}).ok());

        UsageRepository usage(db.connection());
        const auto byKey = usage.totalsByKey().value();
        QCOMPARE(byKey.size(), 1);
        const Proxy::UsageTotals totals = byKey.value(a);
        QCOMPARE(totals.requestCount, 3);
        QCOMPARE(totals.input, 101);
        QCOMPARE(totals.cached, 10);
        QCOMPARE(totals.output, 52);
        QCOMPARE(totals.reasoning, 5);
        QCOMPARE(totals.total, 153);
        QCOMPARE(totals.costUsd, 0.0);

        const QList<KeyUsage> perKey = usage.perKey().value();
        QCOMPARE(perKey.size(), 2);
        QCOMPARE(perKey.at(0).name, QStringLiteral("a"));
        QCOMPARE(perKey.at(0).totals, totals);
        QCOMPARE(perKey.at(1).keyId, b);
        QCOMPARE(perKey.at(1).totals, Proxy::UsageTotals());
        QVERIFY(perKey.at(1).prefix.startsWith(QLatin1String("sk-kg-")));
        QCOMPARE(usage.overall().value().requestCount, 4);
        QCOMPARE(usage.overall().value().total, 167);
    }
};

QTEST_GUILESS_MAIN(tst_UsageRepository)
#include "tst_usagerepository.moc"
