// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Core {
class SecretStore;
}

namespace Console {

/// Where @p secrets keeps secrets, for sentences such as "stored in %1": "your keychain" or
/// "Keygate's secrets file" — never "keychain" when the backend is the file. GUI thread.
QString secretBackendText(const Core::SecretStore &secrets);
/// The same for a store's backendName() ("keychain", "file").
QString secretBackendText(const QString &backendName);

} // namespace Console
