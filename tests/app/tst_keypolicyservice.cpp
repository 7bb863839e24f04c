// SPDX-License-Identifier: MIT
// KeyPolicyService against a real SQLite database in a temporary directory; request-log rows are
// written with the store's RecordWriter, as the proxy's write-behind path does.
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;
using Proxy::LimitType;
using Proxy::LimitWindow;

namespace {

Proxy::RequestRecord row(qint64 keyId, const QDateTime &time, const QString &model, Proxy::TokenUsage usage,
                         std::optional<qint64> costMicros = std::nullopt)
{
    Proxy::RequestRecord r;
    r.keyId = keyId;
    r.time = time;
    r.model = model;
    r.usage = usage;
    r.costMicros = costMicros;
    r.status = 200;
    r.outcome = QStringLiteral("ok");
    r.route = QStringLiteral("/v1/responses");
    return r;
}

QDateTime hourFloor(const QDateTime &time)
{
    const qint64 secs = time.toSecsSinceEpoch();
    return QDateTime::fromSecsSinceEpoch(secs - secs % 3600, Qt::UTC);
}

} // namespace

class tst_KeyPolicyService final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FileSecretStore> m_secrets;
    std::unique_ptr<KeyService> m_keys;
    std::unique_ptr<KeyPolicyService> m_policy;
    KeyRecord m_a;
    KeyRecord m_b;

    QList<Proxy::KeyLimit> limitsOf(qint64 keyId) const { return m_keys->findById(keyId).value().policy.limits; }

private slots:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        m_db = std::make_unique<Database>();
        QVERIFY(m_db->open(m_tmp->path()).ok());
        m_secrets = std::make_unique<FileSecretStore>(m_tmp->path());
        m_keys = std::make_unique<KeyService>(*m_db, *m_secrets);
        m_policy = std::make_unique<KeyPolicyService>(*m_db);
        m_a = m_keys->create(QStringLiteral("alpha")).value().record;
        m_b = m_keys->create(QStringLiteral("beta")).value().record;
    }

    void cleanup()
    {
        m_policy.reset();
        m_keys.reset();
        m_secrets.reset();
        m_db.reset();
        m_tmp.reset();
    }

    void addLimit_storesRuleAndRefusesTheSameRuleTwice()
    {
        const auto added = m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 1000);
        QVERIFY2(added.ok(), qPrintable(added.error()));
        QVERIFY(added.value().id > 0);
        QCOMPARE(limitsOf(m_a.id), QList<Proxy::KeyLimit>{added.value()});

        const auto again = m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 5000);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().contains(QLatin1String("already has a tokens/day limit")), qPrintable(again.error()));
        QVERIFY2(again.error().contains(QString::number(added.value().id)), qPrintable(again.error()));

        // Another model, another window or another key is another rule.
        QVERIFY(m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 10, QStringLiteral("gpt-5.4")).ok());
        QVERIFY(m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Week, 10).ok());
        QVERIFY(m_policy->addLimit(m_b.id, LimitType::TotalTokens, LimitWindow::Day, 10).ok());
        QCOMPARE(limitsOf(m_a.id).size(), 3);
        QCOMPARE(limitsOf(m_a.id).at(1).modelFilter, QStringLiteral("gpt-5.4"));
    }

    void addLimit_unknownKeyOrNonPositiveMax_refused()
    {
        QVERIFY(!m_policy->addLimit(9999, LimitType::TotalTokens, LimitWindow::Day, 10).ok());
        QVERIFY(!m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 0).ok());
        QVERIFY(!m_policy->addLimit(m_a.id, LimitType::CostMicros, LimitWindow::Day, -1).ok());
        QVERIFY(limitsOf(m_a.id).isEmpty());
    }

    void removeLimit_ofAnotherKey_refusedAndKept()
    {
        const qint64 limitId = m_policy->addLimit(m_a.id, LimitType::InputTokens, LimitWindow::FiveHours, 100).value().id;
        const Status wrongKey = m_policy->removeLimit(m_b.id, limitId);
        QVERIFY(!wrongKey.ok());
        QVERIFY2(wrongKey.error().contains(QLatin1String("no limit with id")), qPrintable(wrongKey.error()));
        QCOMPARE(limitsOf(m_a.id).size(), 1);
        QVERIFY(m_policy->removeLimit(m_a.id, limitId).ok());
        QVERIFY(limitsOf(m_a.id).isEmpty());
        QVERIFY(!m_policy->removeLimit(m_a.id, limitId).ok()); // already gone
    }

    void replaceLimits_keepsIdOfUnchangedRule_updatesMaxAddsAndRemoves()
    {
        const qint64 tokensId = m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 1000).value().id;
        const qint64 costId = m_policy->addLimit(m_a.id, LimitType::CostMicros, LimitWindow::Week, 5'000'000).value().id;
        const qint64 otherKeyId = m_policy->addLimit(m_b.id, LimitType::TotalTokens, LimitWindow::Day, 7).value().id;

        Proxy::KeyLimit tokens{0, LimitType::TotalTokens, LimitWindow::Day, 2000, {}};
        Proxy::KeyLimit output{0, LimitType::OutputTokens, LimitWindow::FiveHours, 10, QStringLiteral("o3")};
        QVERIFY(m_policy->replaceLimits(m_a.id, {tokens, output}).ok());

        const QList<Proxy::KeyLimit> now = limitsOf(m_a.id);
        QCOMPARE(now.size(), 2);
        QCOMPARE(now.at(0).id, tokensId);
        QCOMPARE(now.at(0).maxValue, qint64(2000));
        QVERIFY(now.at(1).id != costId && now.at(1).id > otherKeyId);
        QCOMPARE(now.at(1).type, LimitType::OutputTokens);
        QCOMPARE(now.at(1).modelFilter, QStringLiteral("o3"));
        QCOMPARE(limitsOf(m_b.id).size(), 1); // the other key's limit is untouched

        // Two rules counting the same thing are refused as a whole.
        QVERIFY(!m_policy->replaceLimits(m_a.id, {tokens, tokens}).ok());
        QCOMPARE(limitsOf(m_a.id), now);
        QVERIFY(m_policy->replaceLimits(m_a.id, {}).ok());
        QVERIFY(limitsOf(m_a.id).isEmpty());
    }

    void allowlists_roundTrip_unknownEffortRefused()
    {
        QVERIFY(m_policy->setAllowedModels(m_a.id, {QStringLiteral(" gpt-5.4 "), QStringLiteral("gpt-5.4"),
                                                    QStringLiteral("o3"), QStringLiteral(" ")})
                    .ok());
        QVERIFY(m_policy->setAllowedEfforts(m_a.id, {QStringLiteral("low"), QStringLiteral("medium")}).ok());
        Proxy::KeyPolicy policy = m_keys->findById(m_a.id).value().policy;
        QCOMPARE(policy.allowedModels, (QStringList{QStringLiteral("gpt-5.4"), QStringLiteral("o3")}));
        QCOMPARE(policy.allowedEfforts, (QStringList{QStringLiteral("low"), QStringLiteral("medium")}));
        QVERIFY(m_keys->findById(m_b.id).value().policy.isOpen());

        const Status unknown = m_policy->setAllowedEfforts(m_a.id, {QStringLiteral("low"), QStringLiteral("extreme")});
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().contains(QLatin1String("\"extreme\"")), qPrintable(unknown.error()));
        QCOMPARE(m_keys->findById(m_a.id).value().policy.allowedEfforts,
                 (QStringList{QStringLiteral("low"), QStringLiteral("medium")}));

        QVERIFY(m_policy->setAllowedModels(m_a.id, {}).ok());
        QVERIFY(m_policy->setAllowedEfforts(m_a.id, {}).ok());
        QVERIFY(m_keys->findById(m_a.id).value().policy.isOpen());
    }

    void parseMax_data()
    {
        QTest::addColumn<bool>("cost");
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // 0 = refused
        QTest::newRow("tokens") << false << QStringLiteral("1000") << qint64(1000);
        QTest::newRow("tokens commas") << false << QStringLiteral("1,250,000") << qint64(1'250'000);
        QTest::newRow("tokens underscores") << false << QStringLiteral(" 2_000 ") << qint64(2000);
        QTest::newRow("tokens zero") << false << QStringLiteral("0") << qint64(0);
        QTest::newRow("tokens negative") << false << QStringLiteral("-5") << qint64(0);
        QTest::newRow("tokens fraction") << false << QStringLiteral("1.5") << qint64(0);
        QTest::newRow("tokens word") << false << QStringLiteral("lots") << qint64(0);
        QTest::newRow("tokens empty") << false << QString() << qint64(0);
        QTest::newRow("cost whole") << true << QStringLiteral("5") << qint64(5'000'000);
        QTest::newRow("cost cents") << true << QStringLiteral("2.50") << qint64(2'500'000);
        QTest::newRow("cost dollar sign") << true << QStringLiteral("$0.000001") << qint64(1);
        QTest::newRow("cost thousands") << true << QStringLiteral("1,000.25") << qint64(1'000'250'000);
        QTest::newRow("cost 7 decimals") << true << QStringLiteral("0.0000001") << qint64(0);
        QTest::newRow("cost zero") << true << QStringLiteral("0.00") << qint64(0);
        QTest::newRow("cost negative") << true << QStringLiteral("-1") << qint64(0);
        QTest::newRow("cost word") << true << QStringLiteral("five") << qint64(0);
    }
    void parseMax()
    {
        QFETCH(bool, cost);
        const LimitType type = cost ? LimitType::CostMicros : LimitType::TotalTokens;
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const Result<qint64> parsed = KeyPolicyService::parseMax(type, text);
        if (expected == 0) {
            QVERIFY(!parsed.ok());
            QVERIFY(!parsed.error().isEmpty());
            return;
        }
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        QCOMPARE(parsed.value(), expected);
    }

    void parseTypeAndWindow_shortAndWireNames()
    {
        QCOMPARE(KeyPolicyService::parseType(QStringLiteral("tokens")).value(), LimitType::TotalTokens);
        QCOMPARE(KeyPolicyService::parseType(QStringLiteral("Cost")).value(), LimitType::CostMicros);
        QCOMPARE(KeyPolicyService::parseType(QStringLiteral("input_tokens")).value(), LimitType::InputTokens);
        QVERIFY(!KeyPolicyService::parseType(QStringLiteral("credits")).ok());
        QCOMPARE(KeyPolicyService::parseWindow(QStringLiteral("5h")).value(), LimitWindow::FiveHours);
        QCOMPARE(KeyPolicyService::parseWindow(QStringLiteral("weekly")).value(), LimitWindow::Week);
        QCOMPARE(KeyPolicyService::parseWindow(QStringLiteral("month")).value(), LimitWindow::Month);
        QVERIFY(!KeyPolicyService::parseWindow(QStringLiteral("year")).ok());
        QCOMPARE(KeyPolicyService::formatAmount(LimitType::CostMicros, 2'500'000), QStringLiteral("$2.50"));
        QCOMPARE(KeyPolicyService::formatAmount(LimitType::TotalTokens, 1'250'000), QStringLiteral("1,250,000 tokens"));
    }

    void limitStatuses_countRowsOfTheCurrentWindowOnly()
    {
        // Windows are anchored at the key's creation hour H. At H + 10 d + 7.5 h the day window began at
        // H + 10 d and the 5 h window at H + 10 d + 5 h.
        const QDateTime anchor = hourFloor(m_a.createdAt);
        const QDateTime dayStart = anchor.addDays(10);
        const QDateTime now = dayStart.addSecs(7 * 3600 + 1800);
        const qint64 dayId = m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 1000).value().id;
        const qint64 fiveHourId = m_policy->addLimit(m_a.id, LimitType::InputTokens, LimitWindow::FiveHours, 100).value().id;
        const QList<Proxy::RequestRecord> rows{
            row(m_a.id, dayStart.addSecs(-1), QStringLiteral("gpt-5.4"), {5000, 0, 5000, 0, 10000}), // before both
            row(m_a.id, dayStart, QStringLiteral("gpt-5.4"), {30, 0, 10, 0, 40}),                  // day only
            row(m_a.id, dayStart.addSecs(5 * 3600 + 60), QStringLiteral("o3"), {70, 0, 20, 0, 90}), // both
            row(m_b.id, dayStart.addSecs(6 * 3600), QStringLiteral("gpt-5.4"), {9, 0, 9, 0, 18}),   // another key
        };
        QVERIFY(RecordWriter(m_db->connection()).write(rows, {}).ok());

        const auto statuses = m_policy->limitStatuses(m_a.id, now);
        QVERIFY2(statuses.ok(), qPrintable(statuses.error()));
        QCOMPARE(statuses.value().size(), 2);
        const Proxy::LimitStatus &day = statuses.value().at(0);
        QCOMPARE(day.limit.id, dayId);
        QCOMPARE(day.current, qint64(130));
        QCOMPARE(day.remaining(), qint64(870));
        QCOMPARE(day.resetAt, dayStart.addDays(1));
        const Proxy::LimitStatus &fiveHours = statuses.value().at(1);
        QCOMPARE(fiveHours.limit.id, fiveHourId);
        QCOMPARE(fiveHours.current, qint64(70));
        QCOMPARE(fiveHours.resetAt, dayStart.addSecs(10 * 3600));

        // The next day window starts empty.
        const auto tomorrow = m_policy->limitStatuses(m_a.id, dayStart.addDays(1).addSecs(60));
        QCOMPARE(tomorrow.value().at(0).current, qint64(0));
        QVERIFY(!m_policy->limitStatuses(9999, now).ok());
    }

    void limitStatuses_perModelAndCostLimits()
    {
        const QDateTime anchor = hourFloor(m_a.createdAt);
        const QDateTime now = anchor.addSecs(2 * 3600);
        QVERIFY(m_policy->addLimit(m_a.id, LimitType::OutputTokens, LimitWindow::Week, 50, QStringLiteral("o3")).ok());
        QVERIFY(m_policy->addLimit(m_a.id, LimitType::CostMicros, LimitWindow::Month, 1'000'000).ok());
        const QList<Proxy::RequestRecord> rows{
            row(m_a.id, anchor.addSecs(60), QStringLiteral("o3"), {10, 0, 40, 0, 50}, 700'000),
            row(m_a.id, anchor.addSecs(120), QStringLiteral("gpt-5.4"), {10, 0, 900, 0, 910}, 600'000),
            row(m_a.id, anchor.addSecs(180), QStringLiteral("o3"), {1, 0, 25, 0, 26}, std::nullopt), // price unknown
        };
        QVERIFY(RecordWriter(m_db->connection()).write(rows, {}).ok());

        const auto statuses = m_policy->limitStatuses(m_a.id, now);
        QVERIFY2(statuses.ok(), qPrintable(statuses.error()));
        const Proxy::LimitStatus &perModel = statuses.value().at(0);
        QCOMPARE(perModel.limit.modelFilter, QStringLiteral("o3"));
        QCOMPARE(perModel.current, qint64(65));   // gpt-5.4's 900 output tokens do not count
        QCOMPARE(perModel.clamped(), qint64(50)); // shown clamped
        QCOMPARE(perModel.remaining(), qint64(0));
        QVERIFY(perModel.exhausted());
        const Proxy::LimitStatus &cost = statuses.value().at(1);
        QCOMPARE(cost.limit.type, LimitType::CostMicros);
        QCOMPARE(cost.current, qint64(1'300'000));
        QCOMPARE(cost.remaining(), qint64(0));
        QCOMPARE(cost.resetAt, anchor.addDays(30));
    }
};

QTEST_GUILESS_MAIN(tst_KeyPolicyService)
#include "tst_keypolicyservice.moc"
