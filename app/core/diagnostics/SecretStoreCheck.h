// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"

namespace Core {

class SecretStore;

/// Whether the secret store is reachable and unlocked: a write and a delete of a probe entry
/// (SecretStoreStatus::probe; a locked keychain refuses the write). Main thread; a keychain call
/// waits for at most the store's own timeout.
class SecretStoreCheck final
{
public:
    static DiagnosticLine run(SecretStore &secrets);
    /// The line for a store that could not even be created (@p error names why).
    static DiagnosticLine unavailable(const QString &error);
};

} // namespace Core
