// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/backup/BackupFile.h"
#include "app/core/backup/SecretEntries.h"

namespace Core {

/// Seals and opens the secrets section of a backup with libsodium: a key derived from the
/// passphrase by Argon2id (crypto_pwhash, INTERACTIVE limits, random salt) encrypts the entries
/// with XChaCha20-Poly1305 (random nonce), authenticating the file's header as associated data.
/// No crypto of our own: only libsodium calls. Derived keys are wiped after use.
namespace SecretsSeal {

/// Seals @p entries into @p file->secrets (the rest of @p file must be final: it is authenticated).
Status seal(BackupFile *file, const SecretEntries &entries, const QByteArray &passphrase);

/// Opens @p file's secrets; a wrong passphrase and any change to the header, the image or the
/// secrets section fail alike. Refuses Argon2 limits outside libsodium's INTERACTIVE..SENSITIVE
/// range, so a hostile file cannot make us allocate gigabytes.
Result<SecretEntries> open(const BackupFile &file, const QByteArray &passphrase);

} // namespace SecretsSeal

} // namespace Core
