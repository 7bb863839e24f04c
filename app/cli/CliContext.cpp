// SPDX-License-Identifier: MIT
#include "app/cli/CliContext.h"

#include "app/core/secrets/SecretStoreFactory.h"

namespace Core {

Result<std::shared_ptr<SecretStore>> createSecretStore(const CliContext &context)
{
    return createSecretStore(context.secrets, context.dataDir);
}

} // namespace Core
