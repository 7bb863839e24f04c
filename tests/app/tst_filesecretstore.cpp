// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

class tst_FileSecretStore final : public QObject
{
    Q_OBJECT

private slots:
    void write_newFile_isMode0600()
    {
        QTemporaryDir tmp;
        FileSecretStore store(tmp.filePath(QStringLiteral("data")));
        QVERIFY(store.write(QStringLiteral("key/1"), "secret").ok);
        QCOMPARE(QFile::permissions(store.filePath()) & 0x0777, QFile::ReadUser | QFile::WriteUser); // 0600
        QVERIFY(store.write(QStringLiteral("key/2"), "other").ok); // replaced atomically: still 0600
        QCOMPARE(QFile::permissions(store.filePath()) & 0x0777, QFile::ReadUser | QFile::WriteUser); // 0600
    }

    void writeRead_binaryValue_roundTrips()
    {
        QTemporaryDir tmp;
        FileSecretStore store(tmp.path());
        const QByteArray value("\x00\xff sk-kg-abc\n", 12);
        QVERIFY(store.write(QStringLiteral("upstream/token"), value).ok);
        FileSecretStore reopened(tmp.path());
        const SecretResult read = reopened.read(QStringLiteral("upstream/token"));
        QVERIFY(read.ok);
        QCOMPARE(read.value, value);
        QCOMPARE(reopened.backendName(), QStringLiteral("file"));
    }

    void read_missing_isNotFound()
    {
        QTemporaryDir tmp;
        FileSecretStore store(tmp.path());
        QCOMPARE(store.read(QStringLiteral("nope")).error, SecretError::NotFound);
        QVERIFY(store.write(QStringLiteral("a"), "1").ok);
        QCOMPARE(store.read(QStringLiteral("nope")).error, SecretError::NotFound);
    }

    void remove_existing_isGoneAndOthersKept()
    {
        QTemporaryDir tmp;
        FileSecretStore store(tmp.path());
        QVERIFY(store.write(QStringLiteral("a"), "1").ok);
        QVERIFY(store.write(QStringLiteral("b"), "2").ok);
        QVERIFY(store.remove(QStringLiteral("a")).ok);
        QCOMPARE(store.read(QStringLiteral("a")).error, SecretError::NotFound);
        QCOMPARE(store.read(QStringLiteral("b")).value, QByteArray("2"));
        QCOMPARE(store.remove(QStringLiteral("a")).error, SecretError::NotFound);
    }

    void write_overwrite_replacesValue()
    {
        QTemporaryDir tmp;
        FileSecretStore store(tmp.path());
        QVERIFY(store.write(QStringLiteral("a"), "1").ok);
        QVERIFY(store.write(QStringLiteral("a"), "2").ok);
        QCOMPARE(store.read(QStringLiteral("a")).value, QByteArray("2"));
    }

    void read_corruptFile_isErrorNotEmpty()
    {
        QTemporaryDir tmp;
        FileSecretStore store(tmp.path());
        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not json");
        file.close();
        const SecretResult read = store.read(QStringLiteral("a"));
        QVERIFY(!read.ok);
        QCOMPARE(read.error, SecretError::Other);
        QVERIFY(!store.write(QStringLiteral("a"), "1").ok); // never clobbers an unreadable file
    }
};

QTEST_GUILESS_MAIN(tst_FileSecretStore)
#include "tst_filesecretstore.moc"
