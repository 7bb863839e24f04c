// SPDX-License-Identifier: MIT
// UsageResetService against a real SQLite database in a temporary directory: which limits restart,
// what the request log and totals keep, the auth-trace row, and the refusals. Request-log rows are
// written with the store's RecordWriter, as the proxy's write-behind path does.
#include "app/core/runtime/UsageResetFeed.h"
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/services/UsageResetService.h"
#include "app/core/storage/AuthEventRepository.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/UsageRepository.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;
using Proxy::LimitType;
using Proxy::LimitWindow;

namespace {

Proxy::RequestRecord row(qint64 keyId, const QDateTime &time, qint64 tokens, std::optional<qint64> costMicros = {})
{
    Proxy::RequestRecord r;
    r.keyId = keyId;
    r.time = time;
    r.model = QStringLiteral("gpt-5.4");
    r.usage = Proxy::TokenUsage{tokens, 0, 0, 0, tokens};
    r.costMicros = costMicros;
    r.status = 200;
    r.outcome = QStringLiteral("ok");
    r.route = QStringLiteral("/v1/responses");
    return r;
}

qint64 count(const Database &db, const QString &sql)
{
    QSqlQuery query(db.connection());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

} // namespace

class tst_UsageReset final : public QObject
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
    Proxy::KeyLimit m_tokens;
    Proxy::KeyLimit m_cost;

    QList<Proxy::LimitStatus> statuses(const QDateTime &now) { return m_policy->limitStatuses(m_a.id, now).value(); }

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
        m_tokens = m_policy->addLimit(m_a.id, LimitType::TotalTokens, LimitWindow::Day, 1000).value();
        m_cost = m_policy->addLimit(m_a.id, LimitType::CostMicros, LimitWindow::Month, 5'000'000).value();
        // Usage just before now (this hour or the last), all within the key's first day and month.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(RecordWriter(m_db->connection())
                    .write({row(m_a.id, now.addMSecs(-200), 700, 40'000), row(m_a.id, now.addMSecs(-100), 500, 20'000),
                            row(m_b.id, now.addMSecs(-100), 900)},
                           {}));
    }

    void cleanup()
    {
        m_policy.reset();
        m_keys.reset();
        m_secrets.reset();
        m_db.reset();
        m_tmp.reset();
    }

    void reset_allLimits_countsRestartHistoryAndTotalsKept()
    {
        QCOMPARE(statuses(QDateTime::currentDateTimeUtc()).first().current, 1200);
        const auto totalsBefore = UsageRepository(m_db->connection()).totalsByKey().value();
        UsageResetFeed feed(*m_db);
        feed.skipExisting();

        const Result<UsageReset> reset = UsageResetService(*m_db).reset(m_a.id, std::nullopt, UsageResetService::Origin::Cli);
        QVERIFY2(reset.ok(), qPrintable(reset.error()));
        QCOMPARE(reset.value().limits.size(), 2);
        const QList<Proxy::KeyLimit> stored = m_keys->findById(m_a.id).value().policy.limits;
        for (const Proxy::KeyLimit &limit : stored)
            QCOMPARE(limit.countedFrom, reset.value().at);
        const QList<Proxy::LimitStatus> after = statuses(reset.value().at.addMSecs(1));
        QCOMPARE(after.at(0).current, 0);
        QCOMPARE(after.at(1).current, 0);
        // The windows restart at the reset's hour: a day (30 days) after it, not after the key's creation.
        const qint64 hour = reset.value().at.toSecsSinceEpoch() / 3600 * 3600;
        QCOMPARE(after.at(0).resetAt, QDateTime::fromSecsSinceEpoch(hour + 24 * 3600, Qt::UTC));
        QCOMPARE(after.at(1).resetAt, QDateTime::fromSecsSinceEpoch(hour + 30 * 24 * 3600, Qt::UTC));

        // Nothing of the history is rewritten; another key is untouched.
        QCOMPARE(count(*m_db, QStringLiteral("SELECT COUNT(*) FROM request_log")), 3);
        QCOMPARE(UsageRepository(m_db->connection()).totalsByKey().value(), totalsBefore);
        QCOMPARE(m_keys->findById(m_b.id).value().policy.limits, QList<Proxy::KeyLimit>{});

        // What comes after the reset counts again.
        QVERIFY(RecordWriter(m_db->connection()).write({row(m_a.id, reset.value().at.addMSecs(5), 300, 10'000)}, {}));
        QCOMPARE(statuses(reset.value().at.addSecs(1)).at(0).current, 300);
        QCOMPARE(statuses(reset.value().at.addSecs(1)).at(1).current, 10'000);

        // Recorded in the auth trace: who, how, which limits.
        const QList<Proxy::AuthTrace> traces = feed.takeNew();
        QCOMPARE(traces.size(), 1);
        const Proxy::AuthTrace &trace = traces.first();
        QVERIFY(trace.verdict == Proxy::AuthVerdict::Reset);
        QCOMPARE(trace.keyId, m_a.id);
        QCOMPARE(trace.peer, UsageResetService::operatorName());
        QCOMPARE(trace.time, reset.value().at);
        QCOMPARE(trace.summary(), QStringLiteral("\"alpha\" \u2192 usage reset: tokens/day (limit %1), cost/month (limit %2)"
                                                 " \u2192 by %3 via keygate keys reset-usage")
                                      .arg(m_tokens.id)
                                      .arg(m_cost.id)
                                      .arg(UsageResetService::operatorName()));
        QVERIFY(feed.takeNew().isEmpty()); // each reset is new once
        QCOMPARE(AuthEventRepository(m_db->connection()).recent(10).value().first().summary(), trace.summary());
    }

    void reset_oneLimit_onlyThatLimitRestarts()
    {
        const Result<UsageReset> reset =
            UsageResetService(*m_db).reset(m_a.id, m_cost.id, UsageResetService::Origin::Console);
        QVERIFY2(reset.ok(), qPrintable(reset.error()));
        QCOMPARE(reset.value().limits.size(), 1);
        const QList<Proxy::LimitStatus> after = statuses(reset.value().at.addMSecs(1));
        QCOMPARE(after.at(0).current, 1200); // the token limit still counts from the key's creation
        QVERIFY(!after.at(0).limit.countedFrom.isValid());
        QCOMPARE(after.at(1).current, 0);
        QVERIFY(reset.value().trace.summary().contains(QLatin1String("via console: Reset usage")));
        QVERIFY(!reset.value().trace.summary().contains(QLatin1String("tokens/day")));
    }

    void reset_unknownKeyOtherKeysLimitOrNoLimits_refusedNothingChanged()
    {
        UsageResetService resets(*m_db);
        const auto unknownKey = resets.reset(9999, std::nullopt, UsageResetService::Origin::Cli);
        QCOMPARE(unknownKey.error(), QStringLiteral("no key with id 9999"));
        const Proxy::KeyLimit other = m_policy->addLimit(m_b.id, LimitType::TotalTokens, LimitWindow::Day, 10).value();
        const auto othersLimit = resets.reset(m_a.id, other.id, UsageResetService::Origin::Cli);
        QCOMPARE(othersLimit.error(), QStringLiteral("the key has no limit with id %1").arg(other.id));
        QCOMPARE(resets.reset(m_a.id, 9999, UsageResetService::Origin::Cli).error(),
                 QStringLiteral("the key has no limit with id 9999"));
        const KeyRecord plain = m_keys->create(QStringLiteral("plain")).value().record;
        QCOMPARE(resets.reset(plain.id, std::nullopt, UsageResetService::Origin::Cli).error(),
                 QStringLiteral("key %1 \"plain\" has no limits: there is no usage to reset").arg(plain.id));

        QCOMPARE(count(*m_db, QStringLiteral("SELECT COUNT(*) FROM key_limits WHERE counted_from IS NOT NULL")), 0);
        QCOMPARE(count(*m_db, QStringLiteral("SELECT COUNT(*) FROM auth_events")), 0);
        QCOMPARE(statuses(QDateTime::currentDateTimeUtc()).first().current, 1200);
        QCOMPARE(m_policy->limitStatuses(m_b.id, QDateTime::currentDateTimeUtc()).value().first().current, 900);
        // The transaction was closed each time: the connection writes as before.
        QVERIFY(m_policy->addLimit(m_a.id, LimitType::InputTokens, LimitWindow::Week, 10).ok());
    }
};

QTEST_GUILESS_MAIN(tst_UsageReset)
#include "tst_usagereset.moc"
