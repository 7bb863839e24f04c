// SPDX-License-Identifier: MIT
// The backup file format read by a hostile hand: lengths beyond the end, limits that would make
// Argon2 allocate gigabytes, a changed header under sealed secrets, a foreign SQLite image.
#include "app/core/backup/BackupFile.h"
#include "app/core/backup/BackupReader.h"
#include "app/core/backup/DatabaseImage.h"
#include "app/core/backup/SecretsSeal.h"
#include "app/core/storage/Database.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sqlite3.h>

using namespace Core;

namespace {

const QByteArray Passphrase = "a passphrase";

/// A valid image: a fresh Keygate database, snapshotted as `keygate backup` does.
QByteArray keygateImage(const QString &dir)
{
    {
        Database database;
        if (!database.open(dir))
            return {};
    }
    const auto image = DatabaseImage::snapshot(Database::fileName(dir));
    const auto bytes = image ? image.value()->serialize() : Result<QByteArray>::failure(image.status());
    return bytes ? bytes.value() : QByteArray();
}

BackupFile sealedFile(const QByteArray &image)
{
    BackupFile file;
    file.schemaVersion = 1;
    file.createdAt = QDateTime::currentDateTimeUtc();
    file.databaseImage = image;
    SecretEntries entries;
    entries.append({QStringLiteral("key/1"), "sk-kg-plaintext"});
    if (!SecretsSeal::seal(&file, entries, Passphrase))
        qWarning("seal failed");
    return file;
}

} // namespace

class tst_BackupFile final : public QObject
{
    Q_OBJECT

private slots:
    void decode_encoded_roundTripsAndOpensWithThePassphraseOnly()
    {
        QTemporaryDir dir;
        const QByteArray image = keygateImage(dir.path());
        QVERIFY(!image.isEmpty());
        const auto decoded = BackupFile::decode(sealedFile(image).encode());
        QVERIFY2(decoded, qPrintable(decoded.error()));
        QCOMPARE(decoded.value().databaseImage, image);
        const auto opened = SecretsSeal::open(decoded.value(), Passphrase);
        QVERIFY2(opened, qPrintable(opened.error()));
        QCOMPARE(opened.value().entries().constFirst().value, QByteArray("sk-kg-plaintext"));
        QVERIFY(!SecretsSeal::open(decoded.value(), Passphrase + 'x'));
    }

    void decode_imageLengthBeyondTheEnd_refusedWithoutAllocating()
    {
        QByteArray bytes = sealedFile("x").encode();
        qToBigEndian<quint64>(std::numeric_limits<quint64>::max(), bytes.data() + 24); // the image length
        const auto decoded = BackupFile::decode(bytes);
        QVERIFY(!decoded);
        QVERIFY2(decoded.error().contains(QStringLiteral("cut short")), qPrintable(decoded.error()));
    }

    void open_argonLimitsOutOfRange_refusedBeforeDeriving()
    {
        BackupFile file = sealedFile("x");
        file.secrets->memLimit = quint64(1) << 40; // 1 TiB
        QElapsedTimer clock;
        clock.start();
        const auto opened = SecretsSeal::open(file, Passphrase);
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(QStringLiteral("out of range")), qPrintable(opened.error()));
        QVERIFY(clock.elapsed() < 1000);
        file = sealedFile("x");
        file.secrets->opsLimit = 1;
        QVERIFY(!SecretsSeal::open(file, Passphrase));
    }

    void open_headerChangedUnderSealedSecrets_refused()
    {
        BackupFile file = sealedFile("x");
        file.createdAt = file.createdAt.addSecs(1); // only the header's time differs
        const auto opened = SecretsSeal::open(file, Passphrase);
        QVERIFY(!opened);
        QVERIFY(opened.error().contains(QStringLiteral("was changed")));
    }

    void verify_foreignSqliteImage_refused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("other.db"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        QFile other(path);
        QVERIFY(other.open(QIODevice::ReadOnly));
        BackupFile file;
        file.databaseImage = other.readAll();
        const auto verified = BackupReader::verify(file, std::nullopt);
        QVERIFY(!verified);
        QVERIFY2(verified.error().contains(QStringLiteral("not a Keygate database")), qPrintable(verified.error()));
    }

    void verify_newerSchema_refused()
    {
        QTemporaryDir dir;
        QByteArray image = keygateImage(dir.path());
        QVERIFY(!image.isEmpty());
        qToBigEndian<quint32>(9999, image.data() + 60); // the header's user_version
        BackupFile file;
        file.databaseImage = image;
        const auto verified = BackupReader::verify(file, std::nullopt);
        QVERIFY(!verified);
        QVERIFY2(verified.error().contains(QStringLiteral("newer Keygate")), qPrintable(verified.error()));
    }
};

QTEST_GUILESS_MAIN(tst_BackupFile)
#include "tst_backupfile.moc"
