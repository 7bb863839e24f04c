// SPDX-License-Identifier: MIT
// Runs against the REAL OS keychain (label "keychain"): inside dbus-run-session with an
// unlocked gnome-keyring-daemon in CI.
#include "app/core/secrets/KeychainSecretStore.h"
#include "app/core/secrets/SecretStoreFactory.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace Core;

class tst_KeychainSecretStore final : public QObject
{
    Q_OBJECT

private:
    KeychainSecretStore m_store;
    QString m_name;

private slots:
    void init()
    {
        m_name = QStringLiteral("test/%1-%2")
                     .arg(QCoreApplication::applicationPid())
                     .arg(QRandomGenerator::system()->generate64());
    }
    void cleanup() { m_store.remove(m_name); }

    void serviceFor_defaultDirIsKeygate_otherDirsAreTheirOwn()
    {
        QCOMPARE(KeychainSecretStore::serviceFor(QStringLiteral("/home/u/.local/share/keygate"),
                                                 QStringLiteral("/home/u/.local/share/keygate/")),
                 QStringLiteral("keygate"));
        QCOMPARE(KeychainSecretStore::serviceFor(QStringLiteral("/srv/keygate"), QStringLiteral("/home/u/.local/share/keygate")),
                 QStringLiteral("keygate:/srv/keygate"));
    }

    void twoDataDirs_doNotShareSecrets()
    {
        QTemporaryDir first;
        QTemporaryDir second;
        const auto a = createSecretStore(QStringLiteral("keychain"), first.path());
        const auto b = createSecretStore(QStringLiteral("keychain"), second.path());
        QVERIFY(a && b);
        QVERIFY(a.value()->write(m_name, "sk-kg-from-first").ok);
        QCOMPARE(b.value()->read(m_name).error, SecretError::NotFound);
        QVERIFY(b.value()->write(m_name, "sk-kg-from-second").ok);
        QCOMPARE(a.value()->read(m_name).value, QByteArray("sk-kg-from-first"));
        a.value()->remove(m_name);
        b.value()->remove(m_name);
    }

    void write_thenRead_roundTrips()
    {
        const SecretResult written = m_store.write(m_name, "sk-kg-first");
        QVERIFY2(written.ok, qPrintable(written.message));
        const SecretResult read = m_store.read(m_name);
        QVERIFY2(read.ok, qPrintable(read.message));
        QCOMPARE(read.value, QByteArray("sk-kg-first"));
        QCOMPARE(m_store.backendName(), QStringLiteral("keychain"));
    }

    void write_overwrite_readsNewValue()
    {
        QVERIFY(m_store.write(m_name, "one").ok);
        QVERIFY(m_store.write(m_name, "two").ok);
        QCOMPARE(m_store.read(m_name).value, QByteArray("two"));
    }

    void remove_thenRead_isNotFound()
    {
        QVERIFY(m_store.write(m_name, "gone soon").ok);
        const SecretResult removed = m_store.remove(m_name);
        QVERIFY2(removed.ok, qPrintable(removed.message));
        const SecretResult read = m_store.read(m_name);
        QVERIFY(!read.ok);
        QCOMPARE(read.error, SecretError::NotFound);
    }

    void read_neverWritten_isNotFound()
    {
        const SecretResult read = m_store.read(m_name + QStringLiteral("-never"));
        QVERIFY(!read.ok);
        QCOMPARE(read.error, SecretError::NotFound);
    }
};

QTEST_GUILESS_MAIN(tst_KeychainSecretStore)
#include "tst_keychainsecretstore.moc"
