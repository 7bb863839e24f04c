// SPDX-License-Identifier: MIT
#include "app/core/backup/SecretsSeal.h"

#include <sodium.h>

namespace Core::SecretsSeal {

namespace {

using Key = unsigned char[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];

const unsigned char *bytes(const QByteArray &array)
{
    return reinterpret_cast<const unsigned char *>(array.constData());
}

Status initialize()
{
    if (sodium_init() < 0)
        return Status::failure(QStringLiteral("libsodium could not be initialized"));
    return Status::success();
}

bool deriveKey(Key key, const QByteArray &passphrase, const SealedSecrets &sealed)
{
    return crypto_pwhash(key, sizeof(Key), passphrase.constData(), quint64(passphrase.size()), bytes(sealed.salt),
                         sealed.opsLimit, size_t(sealed.memLimit), int(sealed.algorithm))
           == 0;
}

} // namespace

Status seal(BackupFile *file, const SecretEntries &entries, const QByteArray &passphrase)
{
    if (Status ready = initialize(); !ready)
        return ready;
    SealedSecrets sealed;
    sealed.algorithm = crypto_pwhash_ALG_ARGON2ID13;
    sealed.opsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    sealed.memLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    sealed.salt = QByteArray(crypto_pwhash_SALTBYTES, Qt::Uninitialized);
    randombytes_buf(sealed.salt.data(), size_t(sealed.salt.size()));
    sealed.nonce = QByteArray(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Qt::Uninitialized);
    randombytes_buf(sealed.nonce.data(), size_t(sealed.nonce.size()));

    QByteArray plaintext = entries.serialize();
    // The ciphertext length is part of the associated data: fix it before encrypting.
    sealed.ciphertext = QByteArray(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, Qt::Uninitialized);
    file->secrets = sealed;
    const QByteArray associated = file->associatedData();

    Key key;
    if (!deriveKey(key, passphrase, sealed)) {
        wipeBytes(plaintext);
        file->secrets.reset();
        return Status::failure(QStringLiteral("not enough memory to derive the backup key"));
    }
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(file->secrets->ciphertext.data()),
                                               &written, bytes(plaintext), quint64(plaintext.size()),
                                               bytes(associated), quint64(associated.size()), nullptr,
                                               bytes(sealed.nonce), key);
    sodium_memzero(key, sizeof(Key));
    wipeBytes(plaintext);
    Q_ASSERT(written == quint64(file->secrets->ciphertext.size()));
    return Status::success();
}

Result<SecretEntries> open(const BackupFile &file, const QByteArray &passphrase)
{
    if (Status ready = initialize(); !ready)
        return Result<SecretEntries>::failure(ready);
    if (!file.secrets)
        return SecretEntries();
    const SealedSecrets &sealed = *file.secrets;
    if (sealed.algorithm != crypto_pwhash_ALG_ARGON2ID13 || sealed.opsLimit < crypto_pwhash_OPSLIMIT_INTERACTIVE
        || sealed.opsLimit > crypto_pwhash_OPSLIMIT_SENSITIVE || sealed.memLimit < crypto_pwhash_MEMLIMIT_INTERACTIVE
        || sealed.memLimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
        return Result<SecretEntries>::failure(
            QStringLiteral("the backup file is damaged: its key derivation parameters are out of range"));
    const QByteArray associated = file.associatedData();
    Key key;
    if (!deriveKey(key, passphrase, sealed))
        return Result<SecretEntries>::failure(QStringLiteral("not enough memory to derive the backup key"));
    QByteArray plaintext(sealed.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, Qt::Uninitialized);
    unsigned long long length = 0;
    const int opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char *>(plaintext.data()), &length, nullptr, bytes(sealed.ciphertext),
        quint64(sealed.ciphertext.size()), bytes(associated), quint64(associated.size()), bytes(sealed.nonce), key);
    sodium_memzero(key, sizeof(Key));
    if (opened != 0) {
        wipeBytes(plaintext);
        return Result<SecretEntries>::failure(
            QStringLiteral("wrong passphrase, or the backup file was changed (the secrets do not decrypt)"));
    }
    SecretEntries entries;
    const bool parsed = entries.parse(plaintext);
    wipeBytes(plaintext);
    if (!parsed)
        return Result<SecretEntries>::failure(QStringLiteral("the backup file is damaged: unreadable secrets list"));
    return entries;
}

} // namespace Core::SecretsSeal
