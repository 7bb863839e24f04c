// SPDX-License-Identifier: MIT
#include "app/core/backup/BackupFile.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace Core {

namespace {

constexpr QByteArrayView Magic = "KGBACKUP";
constexpr int HeaderSize = 64; // magic 8, version 2, flags 2, schema 4, created 8, image length 8, SHA-256 32
constexpr quint16 FlagSecrets = 0x0001;
constexpr qsizetype SaltBytes = 16;  // crypto_pwhash_SALTBYTES
constexpr qsizetype NonceBytes = 24; // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
constexpr qsizetype TagBytes = 16;   // crypto_aead_xchacha20poly1305_ietf_ABYTES

template <typename T>
void append(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToBigEndian(value, bytes);
    out.append(bytes, sizeof(T));
}

/// Reads big-endian fields from @p bytes; any read past the end marks it failed and yields zeros.
class Cursor final
{
public:
    explicit Cursor(const QByteArray &bytes) : m_bytes(bytes) {}

    template <typename T>
    T number()
    {
        if (!has(sizeof(T)))
            return T{};
        const T value = qFromBigEndian<T>(m_bytes.constData() + m_offset);
        m_offset += qsizetype(sizeof(T));
        return value;
    }
    QByteArray raw(quint64 size)
    {
        if (!has(size))
            return {};
        const QByteArray value = m_bytes.mid(m_offset, qsizetype(size));
        m_offset += qsizetype(size);
        return value;
    }
    bool has(quint64 size)
    {
        m_ok = m_ok && size <= quint64(m_bytes.size() - m_offset);
        return m_ok;
    }
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_offset == m_bytes.size(); }

private:
    const QByteArray &m_bytes;
    qsizetype m_offset = 0;
    bool m_ok = true;
};

Result<BackupFile> damaged(const QString &why)
{
    return Result<BackupFile>::failure(QStringLiteral("the backup file is damaged: %1").arg(why));
}

} // namespace

QByteArray BackupFile::header() const
{
    QByteArray out(Magic.data(), Magic.size());
    append<quint16>(out, FormatVersion);
    append<quint16>(out, secrets ? FlagSecrets : 0);
    append<quint32>(out, quint32(schemaVersion));
    append<qint64>(out, createdAt.toMSecsSinceEpoch());
    append<quint64>(out, quint64(databaseImage.size()));
    out += QCryptographicHash::hash(databaseImage, QCryptographicHash::Sha256);
    return out;
}

QByteArray BackupFile::secretsParameters() const
{
    QByteArray out;
    if (!secrets)
        return out;
    append<quint32>(out, secrets->algorithm);
    append<quint64>(out, secrets->opsLimit);
    append<quint64>(out, secrets->memLimit);
    out += secrets->salt;
    out += secrets->nonce;
    append<quint64>(out, quint64(secrets->ciphertext.size()));
    return out;
}

QByteArray BackupFile::associatedData() const
{
    return header() + secretsParameters();
}

QByteArray BackupFile::encode() const
{
    QByteArray out = header();
    out += databaseImage;
    if (secrets)
        out += secretsParameters() + secrets->ciphertext;
    return out;
}

Result<BackupFile> BackupFile::decode(const QByteArray &bytes)
{
    if (!bytes.startsWith(Magic))
        return Result<BackupFile>::failure(QStringLiteral("not a Keygate backup file"));
    Cursor cursor(bytes);
    cursor.raw(quint64(Magic.size()));
    const auto version = cursor.number<quint16>();
    const auto flags = cursor.number<quint16>();
    if (!cursor.ok())
        return damaged(QStringLiteral("the header is cut short"));
    if (version != FormatVersion)
        return Result<BackupFile>::failure(
            QStringLiteral("backup format version %1 is not supported (this Keygate reads version %2)")
                .arg(version)
                .arg(FormatVersion));
    if (flags & ~FlagSecrets)
        return damaged(QStringLiteral("unknown flags 0x%1").arg(flags, 4, 16, QLatin1Char('0')));
    BackupFile file;
    file.schemaVersion = int(cursor.number<quint32>());
    file.createdAt = QDateTime::fromMSecsSinceEpoch(cursor.number<qint64>(), Qt::UTC);
    const auto imageSize = cursor.number<quint64>();
    const QByteArray imageHash = cursor.raw(32);
    if (!cursor.ok())
        return damaged(QStringLiteral("the header is cut short"));
    file.databaseImage = cursor.raw(imageSize);
    if (!cursor.ok())
        return damaged(QStringLiteral("the database is cut short (truncated file)"));
    if (QCryptographicHash::hash(file.databaseImage, QCryptographicHash::Sha256) != imageHash)
        return damaged(QStringLiteral("the database does not match its checksum"));
    if (flags & FlagSecrets) {
        SealedSecrets sealed;
        sealed.algorithm = cursor.number<quint32>();
        sealed.opsLimit = cursor.number<quint64>();
        sealed.memLimit = cursor.number<quint64>();
        sealed.salt = cursor.raw(SaltBytes);
        sealed.nonce = cursor.raw(NonceBytes);
        const auto cipherSize = cursor.number<quint64>();
        sealed.ciphertext = cursor.raw(cipherSize);
        if (!cursor.ok())
            return damaged(QStringLiteral("the secrets section is cut short (truncated file)"));
        if (cipherSize < quint64(TagBytes))
            return damaged(QStringLiteral("the secrets section is too short"));
        file.secrets = sealed;
    }
    if (!cursor.atEnd())
        return damaged(QStringLiteral("unexpected bytes after the last section"));
    Q_ASSERT(file.header().size() == HeaderSize);
    return file;
}

} // namespace Core
