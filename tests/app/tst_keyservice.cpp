// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/KeyMaterial.h"
#include "app/core/services/KeyService.h"
#include "app/core/services/KeySnapshotBuilder.h"
#include "app/core/storage/Database.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {
const QRegularExpression KeyFormat(QStringLiteral("^sk-kg-[A-Za-z0-9_-]{43}$"));

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class tst_KeyService final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FileSecretStore> m_secrets;
    std::unique_ptr<KeyService> m_service;

    bool rowExists(const QString &hash)
    {
        QSqlQuery query(m_db->connection());
        query.prepare(QStringLiteral("SELECT COUNT(*) FROM keys WHERE key_hash = ?"));
        query.addBindValue(hash);
        return query.exec() && query.next() && query.value(0).toInt() == 1;
    }

private slots:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        const QString dir = m_tmp.filePath(QString::number(QRandomGenerator::global()->generate()));
        m_db = std::make_unique<Database>();
        QVERIFY(m_db->open(dir).ok());
        m_secrets = std::make_unique<FileSecretStore>(dir);
        m_service = std::make_unique<KeyService>(*m_db, *m_secrets);
    }
    void cleanup()
    {
        m_service.reset();
        m_secrets.reset();
        m_db.reset();
    }

    void create_plaintext_matchesFormatAndHash()
    {
        const Result<CreatedKey> created = m_service->create(QStringLiteral("laptop"));
        QVERIFY2(created.ok(), qPrintable(created.error()));
        const QString plaintext = created.value().plaintext;
        QVERIFY2(KeyFormat.match(plaintext).hasMatch(), qPrintable(plaintext));
        const KeyRecord &record = created.value().record;
        QCOMPARE(record.keyHash,
                 QString::fromLatin1(QCryptographicHash::hash(plaintext.toUtf8(), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(record.prefix, plaintext.left(10));
        QCOMPARE(record.last4, plaintext.right(4));
        QCOMPARE(record.maskedKey(), QStringLiteral("sk-kg-") + QChar(0x2026) + plaintext.right(4));
        QVERIFY(record.enabled);
        QVERIFY(record.createdAt.isValid());
    }

    void generate_manyKeys_areUnique()
    {
        QSet<QString> seen;
        for (int i = 0; i < 2000; ++i) {
            const QString key = KeyMaterial::generate().plaintext;
            QVERIFY(KeyFormat.match(key).hasMatch());
            seen.insert(key);
        }
        QCOMPARE(seen.size(), 2000);
    }

    void create_plaintextNeverInDatabaseFile()
    {
        const Result<CreatedKey> created = m_service->create(QStringLiteral("secret-check"), std::nullopt, QStringLiteral("n"));
        QVERIFY(created.ok());
        const QByteArray plaintext = created.value().plaintext.toUtf8();
        const QByteArray randomPart = plaintext.mid(6);
        const QString base = Database::fileName(m_db->dataDir());
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            const QByteArray bytes = readAll(base + suffix);
            QVERIFY2(!bytes.contains(randomPart), qPrintable(suffix));
        }
        QVERIFY(!readAll(base + QStringLiteral("-wal")).isEmpty() || !readAll(base).isEmpty());
        const QString dataDir = m_db->dataDir();
        m_service.reset();
        m_db.reset(); // checkpoint into the main file
        QVERIFY(!readAll(base).contains(randomPart));
        QVERIFY(!readAll(base + QStringLiteral("-wal")).contains(randomPart));
        // ... and the secret store holds it.
        QCOMPARE(m_secrets->read(QStringLiteral("key/%1").arg(created.value().record.id)).value, plaintext);
        Q_UNUSED(dataDir)
    }

    void create_duplicateOrInvalidName_isRejected()
    {
        QVERIFY(m_service->create(QStringLiteral("dup")).ok());
        QVERIFY(!m_service->create(QStringLiteral("dup")).ok());
        QVERIFY(!m_service->create(QStringLiteral("  dup  ")).ok()); // trimmed
        QVERIFY(!m_service->create(QStringLiteral("   ")).ok());
        QVERIFY(!m_service->create(QString(129, u'x')).ok());
        QVERIFY(m_service->create(QString(128, u'x')).ok());
    }

    void create_expiryInPast_isRejected()
    {
        const auto past = QDateTime::currentDateTimeUtc().addSecs(-60);
        QVERIFY(!m_service->create(QStringLiteral("old"), past).ok());
        QCOMPARE(m_service->list().value().size(), 0);
        const auto future = QDateTime::currentDateTimeUtc().addDays(1);
        const Result<CreatedKey> created = m_service->create(QStringLiteral("new"), future);
        QVERIFY(created.ok());
        QCOMPARE(created.value().record.expiresAt.toMSecsSinceEpoch(), future.toMSecsSinceEpoch());
    }

    void create_secretStoreFails_rowIsRolledBack()
    {
        QFile blocker(m_tmp.filePath(QStringLiteral("not-a-dir")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        FileSecretStore broken(blocker.fileName()); // its "data dir" is a file: every write fails
        KeyService service(*m_db, broken);
        const Result<CreatedKey> created = service.create(QStringLiteral("doomed"));
        QVERIFY(!created.ok());
        QVERIFY2(created.error().contains(QLatin1String("--secrets file")), qPrintable(created.error()));
        QCOMPARE(m_service->list().value().size(), 0);
    }

    void create_secretStoreFailsShowOnce_keyKeptAndUsable()
    {
        QFile blocker(m_tmp.filePath(QStringLiteral("not-a-dir-2")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        FileSecretStore broken(blocker.fileName());
        KeyService service(*m_db, broken, UnstoredSecret::ShowOnce);
        const Result<CreatedKey> created = service.create(QStringLiteral("no-keychain"));
        QVERIFY2(created.ok(), qPrintable(created.error()));
        QVERIFY(!created.value().isStored());
        QVERIFY(!created.value().secretWrite.message.isEmpty());
        QVERIFY(!created.value().secretWrite.message.contains(created.value().plaintext));
        QVERIFY(KeyFormat.match(created.value().plaintext).hasMatch());
        // The row exists, so the proxy accepts the key; only its plaintext is not kept anywhere.
        const Proxy::KeySnapshotPtr snapshot = KeySnapshotBuilder::build(m_service->list().value());
        QVERIFY(snapshot->find(
            QCryptographicHash::hash(created.value().plaintext.toUtf8(), QCryptographicHash::Sha256)));
        QVERIFY(!service.reveal(created.value().record.id).ok());
        // A working store reports success.
        KeyService good(*m_db, *m_secrets, UnstoredSecret::ShowOnce);
        QVERIFY(good.create(QStringLiteral("with-keychain")).value().isStored());
    }

    void regenerate_secretStoreFails_refusedOrShownOnce()
    {
        const CreatedKey created = m_service->create(QStringLiteral("rotate-broken")).value();
        QFile blocker(m_tmp.filePath(QStringLiteral("not-a-dir-3")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        FileSecretStore broken(blocker.fileName());
        QVERIFY(!KeyService(*m_db, broken).regenerate(created.record.id).ok());
        QVERIFY(rowExists(created.record.keyHash)); // refused: nothing changed

        const Result<CreatedKey> regenerated =
            KeyService(*m_db, broken, UnstoredSecret::ShowOnce).regenerate(created.record.id);
        QVERIFY2(regenerated.ok(), qPrintable(regenerated.error()));
        QVERIFY(!regenerated.value().isStored());
        QVERIFY(!rowExists(created.record.keyHash));
        QVERIFY(rowExists(regenerated.value().record.keyHash));
    }

    void update_renameNoteExpiry_roundTrips()
    {
        const CreatedKey created =
            m_service->create(QStringLiteral("before"), std::nullopt, QStringLiteral("n1")).value();
        const QDateTime expiry = QDateTime::currentDateTimeUtc().addDays(3);
        const Result<KeyRecord> updated =
            m_service->update(created.record.id, QStringLiteral("  after "), QStringLiteral("n2"), expiry);
        QVERIFY2(updated.ok(), qPrintable(updated.error()));
        QCOMPARE(updated.value().name, QStringLiteral("after"));
        QCOMPARE(updated.value().note, QStringLiteral("n2"));
        QCOMPARE(updated.value().expiresAt.toSecsSinceEpoch(), expiry.toSecsSinceEpoch());
        QCOMPARE(updated.value().keyHash, created.record.keyHash); // the key itself is unchanged
        const Result<KeyRecord> never =
            m_service->update(created.record.id, QStringLiteral("after"), {}, std::nullopt);
        QVERIFY(never.ok());
        QVERIFY(!never.value().expiresAt.isValid());
        QCOMPARE(m_service->find(QStringLiteral("after")).value().id, created.record.id);
        QVERIFY(!m_service->find(QStringLiteral("before")).ok());
    }

    void update_invalidInput_isRejected()
    {
        const CreatedKey first = m_service->create(QStringLiteral("first")).value();
        const CreatedKey second = m_service->create(QStringLiteral("second")).value();
        QVERIFY(!m_service->update(second.record.id, QStringLiteral("first"), {}, std::nullopt).ok());
        QVERIFY(!m_service->update(second.record.id, QStringLiteral("  "), {}, std::nullopt).ok());
        QVERIFY(!m_service
                     ->update(second.record.id, QStringLiteral("second"), {},
                              QDateTime::currentDateTimeUtc().addSecs(-5))
                     .ok());
        QVERIFY(!m_service->update(9999, QStringLiteral("x"), {}, std::nullopt).ok());
        QVERIFY(
            m_service
                ->update(first.record.id, QStringLiteral("first"), QStringLiteral("same name"), std::nullopt)
                .ok());
        QCOMPARE(m_service->findById(second.record.id).value().name, QStringLiteral("second"));
    }

    void regenerate_changesHash_oldHashGone()
    {
        const CreatedKey created = m_service->create(QStringLiteral("rot")).value();
        const Result<CreatedKey> regenerated = m_service->regenerate(created.record.id);
        QVERIFY(regenerated.ok());
        QCOMPARE(regenerated.value().record.id, created.record.id);
        QCOMPARE(regenerated.value().record.name, created.record.name);
        QVERIFY(regenerated.value().plaintext != created.plaintext);
        QVERIFY(regenerated.value().record.keyHash != created.record.keyHash);
        QVERIFY(!rowExists(created.record.keyHash));
        QVERIFY(rowExists(regenerated.value().record.keyHash));
        QCOMPARE(m_service->reveal(created.record.id).value(), regenerated.value().plaintext);
        const Proxy::KeySnapshotPtr snapshot = KeySnapshotBuilder::build(m_service->list().value());
        QVERIFY(!snapshot->find(QCryptographicHash::hash(created.plaintext.toUtf8(), QCryptographicHash::Sha256)));
        QVERIFY(snapshot->find(QCryptographicHash::hash(regenerated.value().plaintext.toUtf8(), QCryptographicHash::Sha256)));
    }

    void setEnabled_disableEnable_roundTrips()
    {
        const CreatedKey created = m_service->create(QStringLiteral("toggle")).value();
        QVERIFY(!m_service->setEnabled(created.record.id, false).value().enabled);
        QVERIFY(!m_service->find(QStringLiteral("toggle")).value().enabled);
        QVERIFY(m_service->setEnabled(created.record.id, true).value().enabled);
        QVERIFY(!m_service->setEnabled(9999, true).ok());
    }

    void remove_deletesRowAndSecret()
    {
        const CreatedKey created = m_service->create(QStringLiteral("gone")).value();
        QVERIFY(m_service->remove(created.record.id).ok());
        QVERIFY(!m_service->find(QStringLiteral("gone")).ok());
        QCOMPARE(m_secrets->read(QStringLiteral("key/%1").arg(created.record.id)).error, SecretError::NotFound);
        QVERIFY(!m_service->reveal(created.record.id).ok());
        QVERIFY(!m_service->remove(created.record.id).ok());
    }

    void find_numericName_prefersIdThenName()
    {
        const CreatedKey first = m_service->create(QStringLiteral("alpha")).value();
        const CreatedKey numeric = m_service->create(QStringLiteral("42")).value();
        QCOMPARE(m_service->find(QString::number(first.record.id)).value().id, first.record.id);
        QCOMPARE(m_service->find(QStringLiteral("42")).value().id, numeric.record.id); // no id 42: by name
        QCOMPARE(m_service->find(QStringLiteral("alpha")).value().id, first.record.id);
        QVERIFY(!m_service->find(QStringLiteral("nobody")).ok());
    }

    void reveal_missingSecret_isClearError()
    {
        const CreatedKey created = m_service->create(QStringLiteral("lost")).value();
        QVERIFY(m_secrets->remove(QStringLiteral("key/%1").arg(created.record.id)).ok);
        const Result<QString> revealed = m_service->reveal(created.record.id);
        QVERIFY(!revealed.ok());
        QVERIFY2(revealed.error().contains(QLatin1String("not in the file secret store")), qPrintable(revealed.error()));
    }

    void snapshot_digestIsRawSha256_includesDisabled()
    {
        const CreatedKey a = m_service->create(QStringLiteral("a")).value();
        const CreatedKey b = m_service->create(QStringLiteral("b")).value();
        m_service->setEnabled(b.record.id, false);
        const Result<Proxy::KeySnapshotPtr> snapshot = KeySnapshotBuilder::load(m_db->connection());
        QVERIFY(snapshot.ok());
        QCOMPARE(snapshot.value()->size(), 2);
        const auto *entry = snapshot.value()->find(QCryptographicHash::hash(a.plaintext.toUtf8(), QCryptographicHash::Sha256));
        QVERIFY(entry);
        QCOMPARE(entry->name, QStringLiteral("a"));
        QCOMPARE(entry->maskedKey, a.record.maskedKey());
        QVERIFY(!snapshot.value()->findById(b.record.id)->enabled);
    }
};

QTEST_GUILESS_MAIN(tst_KeyService)
#include "tst_keyservice.moc"
