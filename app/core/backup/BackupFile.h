// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace Core {

/// The secrets section of a backup: the Argon2id parameters, the XChaCha20-Poly1305 nonce and the
/// ciphertext (with its tag) of the secret entries (see SecretsSeal).
struct SealedSecrets final
{
    quint32 algorithm = 0; ///< crypto_pwhash_ALG_ARGON2ID13
    quint64 opsLimit = 0;
    quint64 memLimit = 0;
    QByteArray salt;       ///< crypto_pwhash_SALTBYTES
    QByteArray nonce;      ///< crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
    QByteArray ciphertext; ///< at least crypto_aead_xchacha20poly1305_ietf_ABYTES
};

/// One `keygate backup` file (format in openspec/specs/backup-restore/spec.md): a fixed header,
/// the SQLite image of the database and, with --with-secrets, the sealed secrets. Integers are
/// big-endian. The header carries the image's SHA-256, which catches damage; the secrets section
/// authenticates the header (hence the image) as associated data.
struct BackupFile final
{
    static constexpr quint16 FormatVersion = 1;

    int schemaVersion = 0; ///< PRAGMA user_version of the image
    QDateTime createdAt;
    QByteArray databaseImage;
    std::optional<SealedSecrets> secrets;

    /// The whole file.
    QByteArray encode() const;
    /// Parses and checks magic, version, every length and the image's SHA-256; the file must end
    /// where the last section ends. The secrets stay sealed.
    static Result<BackupFile> decode(const QByteArray &bytes);

    /// What the secrets' AEAD authenticates: the header and the secrets parameters (not the
    /// ciphertext), exactly as they are in the file.
    QByteArray associatedData() const;

private:
    QByteArray header() const;
    QByteArray secretsParameters() const;
};

} // namespace Core
