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
        QCOMPARE(repository.load().value().listen(), QStringLiteral("127.0.0.1:2455"));
    }
};

QTEST_GUILESS_MAIN(tst_SettingsRepository)
#include "tst_settingsrepository.moc"
