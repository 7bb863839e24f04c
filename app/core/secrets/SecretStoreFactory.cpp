// SPDX-License-Identifier: MIT
#include "app/core/secrets/SecretStoreFactory.h"

#include "app/core/secrets/FileSecretStore.h"
#include "app/core/secrets/KeychainSecretStore.h"

#include <QStandardPaths>

namespace Core {

Result<std::shared_ptr<SecretStore>> createSecretStore(const QString &backend, const QString &dataDir)
{
    if (backend.isEmpty() || backend == u"keychain")
        return std::shared_ptr<SecretStore>(std::make_shared<KeychainSecretStore>(KeychainSecretStore::serviceFor(
            dataDir, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))));
    if (backend == u"file")
        return std::shared_ptr<SecretStore>(std::make_shared<FileSecretStore>(dataDir));
    return Result<std::shared_ptr<SecretStore>>::failure(
        QStringLiteral("unknown secret store \"%1\" (expected keychain or file)").arg(backend));
}

} // namespace Core
