// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/secrets/SecretStore.h"

#include <memory>

namespace Core {

/// Builds the secret store the user chose: "keychain" (default) or "file" (in @p dataDir).
/// Fails for any other @p backend.
Result<std::shared_ptr<SecretStore>> createSecretStore(const QString &backend, const QString &dataDir);

} // namespace Core
