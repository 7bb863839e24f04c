// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/secrets/SecretStore.h"

#include <QString>

#include <memory>

namespace Core {

/// The global options every command gets: `--data-dir` (KEYGATE_DATA_DIR) and `--secrets`
/// (KEYGATE_SECRETS: keychain | file).
struct CliContext final
{
    QString dataDir;
    QString secrets = QStringLiteral("keychain");
};

/// The secret store @p context asks for (file stores live in its data dir).
Result<std::shared_ptr<SecretStore>> createSecretStore(const CliContext &context);

} // namespace Core
