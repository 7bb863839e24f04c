// SPDX-License-Identifier: MIT
#include "ui/common/SecretBackendText.h"

#include "app/core/secrets/SecretStore.h"

#include <QCoreApplication>

namespace Console {

QString secretBackendText(const Core::SecretStore &secrets)
{
    return secretBackendText(secrets.backendName());
}

QString secretBackendText(const QString &backendName)
{
    return backendName == u"keychain"
               ? QCoreApplication::translate("Console::SecretBackendText", "your keychain")
               : QCoreApplication::translate("Console::SecretBackendText", "Keygate's secrets file");
}

} // namespace Console
