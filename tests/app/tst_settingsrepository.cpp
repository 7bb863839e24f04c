// SPDX-License-Identifier: MIT
#include "app/core/storage/Database.h"
#include "app/core/storage/SettingsRepository.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

class tst_SettingsRepository final : public QObject
{
    Q_OBJECT

private slots:
    void load_fresh_returnsDefaults()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const StoredSettings settings = SettingsRepository(db.connection()).load().value();
        QVERIFY(settings.requireKey);
        QCOMPARE(settings.listen(), QStringLiteral("127.0.0.1:2455"));
        Proxy::ProxyConfig config;
        config.requireKey = false;
        settings.applyTo(config);
        QVERIFY(config.requireKey);
        QCOMPARE(config.port, quint16(2455));
        QCOMPARE(config.listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(settings.maxBodyMib, 32);
        QCOMPARE(config.limits.maxBodyBytes, 32LL * 1024 * 1024);
        QCOMPARE(settings.authRetentionDays, 30);
        QCOMPARE(settings.requestLogRetentionDays, 90);
        QVERIFY(!settings.startMinimized);
    }

    void set_newNames_persistAndReachTheConfig()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        SettingsRepository repository(db.connection());
        QVERIFY(repository.set(QStringLiteral("max-body-mib"), QStringLiteral("1")).ok());
        QVERIFY(repository.set(QStringLiteral("auth-retention-days"), QStringLiteral(" 3650 ")).ok());
        QVERIFY(repository.set(QStringLiteral("start-minimized"), QStringLiteral("yes")).ok());
        const StoredSettings settings = repository.load().value();
        QCOMPARE(settings.maxBodyMib, 1);
        QCOMPARE(settings.authRetentionDays, 3650);
        QVERIFY(settings.startMinimized);
        QCOMPARE(settings.value(QStringLiteral("start-minimized")), QStringLiteral("true"));
        QCOMPARE(settings.value(QStringLiteral("auth-retention-days")), QStringLiteral("3650"));
        Proxy::ProxyConfig config;
        settings.applyTo(config);
        QCOMPARE(config.limits.maxBodyBytes, 1024LL * 1024);
    }

    void save_wholeSettings_roundTripsInOneGo()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        SettingsRepository repository(db.connection());
        StoredSettings settings;
        settings.requireKey = false;
        settings.listenHost = QStringLiteral("::1");
        settings.listenPort = 3001;
        settings.maxBodyMib = 1024;
        settings.authRetentionDays = 1;
        settings.startMinimized = true;
        QVERIFY(repository.save(settings).ok());
        QCOMPARE(repository.load().value(), settings);
        settings.listenHost = QStringLiteral("localhost");
        QVERIFY(repository.save(settings).ok());
        QCOMPARE(repository.load().value().listen(), QStringLiteral("localhost:3001"));
    }

    void save_requireKeyOffOnNetworkAddress_isRefusedAndLeavesStored()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        SettingsRepository repository(db.connection());
        StoredSettings settings;
        settings.requireKey = false;
        settings.listenHost = QStringLiteral("0.0.0.0");
        const Status saved = repository.save(settings);
        QVERIFY(!saved.ok());
        QVERIFY2(saved.error().contains(u"loopback"), qPrintable(saved.error()));
        QCOMPARE(repository.load().value(), StoredSettings());
        settings.requireKey = true; // on the network with a key required is allowed
        QVERIFY(repository.save(settings).ok());
        settings.maxBodyMib = 0;
        QVERIFY(!repository.save(settings).ok());
        QCOMPARE(repository.load().value().maxBodyMib, 32);
    }

    void validate_everyName_usesTheSameParsing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("body min") << QStringLiteral("max-body-mib") << QStringLiteral("1") << true;
        QTest::newRow("body max") << QStringLiteral("max-body-mib") << QStringLiteral("1024") << true;
        QTest::newRow("body 0") << QStringLiteral("max-body-mib") << QStringLiteral("0") << false;
        QTest::newRow("body 1025") << QStringLiteral("max-body-mib") << QStringLiteral("1025") << false;
        QTest::newRow("body text") << QStringLiteral("max-body-mib") << QStringLiteral("big") << false;
        QTest::newRow("retention min")
            << QStringLiteral("auth-retention-days") << QStringLiteral("1") << true;
        QTest::newRow("retention 3651")
            << QStringLiteral("auth-retention-days") << QStringLiteral("3651") << false;
        QTest::newRow("retention fraction")
            << QStringLiteral("auth-retention-days") << QStringLiteral("1.5") << false;
        QTest::newRow("log retention keep all")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("0") << true;
        QTest::newRow("log retention 30")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("30") << false;
        QTest::newRow("log retention 1")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("1") << false;
        QTest::newRow("log retention min")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("31") << true;
        QTest::newRow("log retention max")
            << QStringLiteral("request-log-retention-days") << QStringLiteral(" 3650 ") << true;
        QTest::newRow("log retention 3651")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("3651") << false;
        QTest::newRow("log retention negative")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("-1") << false;
        QTest::newRow("log retention fraction")
            << QStringLiteral("request-log-retention-days") << QStringLiteral("31.5") << false;
        QTest::newRow("minimized") << QStringLiteral("start-minimized") << QStringLiteral("off") << true;
        QTest::newRow("minimized bad")
            << QStringLiteral("start-minimized") << QStringLiteral("later") << false;
        QTest::newRow("listen") << QStringLiteral("listen") << QStringLiteral("[::1]:1") << true;
        QTest::newRow("routing fill-first") << QStringLiteral("routing") << QStringLiteral("fill-first") << true;
        QTest::newRow("routing usage") << QStringLiteral("routing") << QStringLiteral("usage") << true;
        QTest::newRow("routing random") << QStringLiteral("routing") << QStringLiteral("random") << false;
        QTest::newRow("unknown") << QStringLiteral("colour") << QStringLiteral("1") << false;
    }
    void validate_everyName_usesTheSameParsing()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(bool, valid);
        QCOMPARE(SettingsRepository::validate(name, value).ok(), valid);
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QCOMPARE(SettingsRepository(db.connection()).set(name, value).ok(), valid);
    }

    void set_validValues_persist()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        SettingsRepository repository(db.connection());
        QVERIFY(repository.set(QStringLiteral("require-key"), QStringLiteral("false")).ok());
        QVERIFY(repository.set(QStringLiteral("listen"), QStringLiteral("[::1]:8080")).ok());
        const StoredSettings settings = repository.load().value();
        QVERIFY(!settings.requireKey);
        QCOMPARE(settings.listen(), QStringLiteral("[::1]:8080"));
        QVERIFY(repository.set(QStringLiteral("listen"), QStringLiteral("0.0.0.0:1")).ok());
        QCOMPARE(repository.load().value().listen(), QStringLiteral("0.0.0.0:1"));
        QVERIFY(repository.set(QStringLiteral("routing"), QStringLiteral("usage")).ok());
        QVERIFY(repository.load().value().routing == Proxy::RoutingStrategy::Usage);
        QCOMPARE(repository.load().value().value(QStringLiteral("routing")), QStringLiteral("usage"));
    }

    void set_invalidValues_areRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::newRow("bool") << QStringLiteral("require-key") << QStringLiteral("maybe");
        QTest::newRow("no port") << QStringLiteral("listen") << QStringLiteral("127.0.0.1");
        QTest::newRow("port too big") << QStringLiteral("listen") << QStringLiteral("127.0.0.1:65536");
        QTest::newRow("hostname") << QStringLiteral("listen") << QStringLiteral("example.com:80");
        QTest::newRow("bare ipv6") << QStringLiteral("listen") << QStringLiteral("::1:80");
        QTest::newRow("unknown name") << QStringLiteral("colour") << QStringLiteral("blue");
        QTest::newRow("body too big") << QStringLiteral("max-body-mib") << QStringLiteral("2048");
        QTest::newRow("retention zero") << QStringLiteral("auth-retention-days") << QStringLiteral("0");
    }
    void set_invalidValues_areRejected()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        SettingsRepository repository(db.connection());
        QVERIFY(!repository.set(name, value).ok());
        QCOMPARE(repository.load().value(), StoredSettings());
    }
};

QTEST_GUILESS_MAIN(tst_SettingsRepository)
#include "tst_settingsrepository.moc"
