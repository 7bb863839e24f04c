// SPDX-License-Identifier: MIT
// A missing Secret Service must be a clear error that names the alternative, never a silent
// fallback. D-Bus is pointed at nothing before QtKeychain is first used.
#include "app/core/secrets/KeychainSecretStore.h"

#include <QtTest>

using namespace Core;

class tst_KeychainUnavailable final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keygate-test-bus");
        qunsetenv("DISPLAY");
    }

    void write_noSecretService_isUnavailableNamingFileBackend()
    {
        KeychainSecretStore store;
        const SecretResult result = store.write(QStringLiteral("test/unavailable"), "x");
        QVERIFY(!result.ok);
        QCOMPARE(result.error, SecretError::Unavailable);
        QVERIFY2(result.message.contains(QLatin1String("--secrets file")), qPrintable(result.message));
        QVERIFY2(result.message.contains(QLatin1String("unavailable")), qPrintable(result.message));
    }

    void read_noSecretService_isNotSilentSuccess()
    {
        KeychainSecretStore store;
        const SecretResult result = store.read(QStringLiteral("test/unavailable"));
        QVERIFY(!result.ok);
        QVERIFY(result.error == SecretError::Unavailable || result.error == SecretError::NotFound);
        if (result.error == SecretError::Unavailable)
            QVERIFY(result.message.contains(QLatin1String("--secrets file")));
    }
};

QTEST_GUILESS_MAIN(tst_KeychainUnavailable)
#include "tst_keychainunavailable.moc"
