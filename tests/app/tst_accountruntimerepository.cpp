// SPDX-License-Identifier: MIT
// account_runtime on a real SQLite file: what the serving instance publishes and what readers take.
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/AccountRuntimeRepository.h"
#include "app/core/storage/Database.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

const QDateTime T0 = QDateTime::fromMSecsSinceEpoch(1'800'000'000'250, Qt::UTC);

qint64 addAccount(Database &database, const QString &name)
{
    AccountRecord record;
    record.name = name;
    record.kind = QLatin1String(AccountRecord::OpenAI);
    record.baseUrl = QUrl(QStringLiteral("https://api.example.com/v1"));
    const Result<qint64> id = AccountRepository(database.connection()).insert(record);
    return id ? id.value() : 0;
}

} // namespace

class tst_AccountRuntimeRepository final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_database.reset(); // the previous test's connection closes before its directory goes
        m_dir = std::make_unique<QTemporaryDir>();
        m_database = std::make_unique<Database>();
        QVERIFY(m_database->open(m_dir->path()).ok());
        m_a = addAccount(*m_database, QStringLiteral("a"));
        m_b = addAccount(*m_database, QStringLiteral("b"));
        QVERIFY(m_a > 0 && m_b > 0);
    }

    void publish_everyField_readBack()
    {
        Proxy::AccountRuntimeStatus a;
        a.id = m_a;
        a.consecutiveErrors = 3;
        a.backoffUntil = T0.addSecs(30);
        a.lastError = QStringLiteral("HTTP 401 from the upstream");
        a.primaryUsedPercent = 40;
        Proxy::AccountRuntimeStatus b;
        b.id = m_b;
        b.cooldownUntil = T0.addSecs(3600);
        b.needsReauth = true;
        b.secondaryUsedPercent = 0;
        AccountRuntimeRepository repository(m_database->connection());
        QVERIFY(repository.publish({a, b}, T0).ok());
        const auto rows = repository.fresh(T0);
        QVERIFY(rows.ok());
        QCOMPARE(rows.value().size(), 2);
        QCOMPARE(rows.value().value(m_a).status, a);
        QCOMPARE(rows.value().value(m_a).publishedAt, T0);
        QCOMPARE(rows.value().value(m_b).status, b);
    }

    void fresh_olderThanTheBound_ignored()
    {
        Proxy::AccountRuntimeStatus a;
        a.id = m_a;
        AccountRuntimeRepository repository(m_database->connection());
        QVERIFY(repository.publish({a}, T0).ok());
        QCOMPARE(repository.fresh(T0.addSecs(AccountRuntimeRepository::StaleAfterSeconds)).value().size(), 1);
        // A killed instance never clears its rows: one moment past the bound they no longer count.
        QVERIFY(repository.fresh(T0.addSecs(AccountRuntimeRepository::StaleAfterSeconds).addMSecs(1)).value().isEmpty());
    }

    void publish_replacesEverything_emptyClears()
    {
        Proxy::AccountRuntimeStatus a;
        a.id = m_a;
        a.consecutiveErrors = 5;
        Proxy::AccountRuntimeStatus b;
        b.id = m_b;
        AccountRuntimeRepository repository(m_database->connection());
        QVERIFY(repository.publish({a, b}, T0).ok());
        a.consecutiveErrors = 0;
        QVERIFY(repository.publish({a}, T0.addSecs(5)).ok()); // b left the pool
        const auto rows = repository.fresh(T0.addSecs(5)).value();
        QCOMPARE(rows.keys(), QList<qint64>({m_a}));
        QCOMPARE(rows.value(m_a).status.consecutiveErrors, 0);
        QCOMPARE(rows.value(m_a).publishedAt, T0.addSecs(5));
        QVERIFY(repository.publish({}, T0.addSecs(6)).ok()); // a clean stop
        QVERIFY(repository.fresh(T0.addSecs(6)).value().isEmpty());
    }

    void publish_accountDeletedMeanwhile_skippedOthersWritten()
    {
        QVERIFY(AccountRepository(m_database->connection()).remove(m_b).ok());
        Proxy::AccountRuntimeStatus a;
        a.id = m_a;
        Proxy::AccountRuntimeStatus b;
        b.id = m_b;
        AccountRuntimeRepository repository(m_database->connection());
        QVERIFY(repository.publish({a, b}, T0).ok());
        QCOMPARE(repository.fresh(T0).value().keys(), QList<qint64>({m_a}));
        // And a row goes with its account.
        QVERIFY(AccountRepository(m_database->connection()).remove(m_a).ok());
        QVERIFY(repository.fresh(T0).value().isEmpty());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    qint64 m_a = 0;
    qint64 m_b = 0;
};

QTEST_GUILESS_MAIN(tst_AccountRuntimeRepository)
#include "tst_accountruntimerepository.moc"
