// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/SecretStoreCheck.h"

#include "app/core/secrets/SecretStoreStatus.h"

namespace Core {

namespace {
const QString Check = QStringLiteral("secret store");
}

DiagnosticLine SecretStoreCheck::run(SecretStore &secrets)
{
    SecretStoreStatus status(secrets);
    status.probe();
    const bool keychain = secrets.backendName() == u"keychain";
    const QString what = keychain ? QStringLiteral("the OS keychain") : QStringLiteral("the secrets file");
    if (status.state() == SecretStoreStatus::State::Available)
        return DiagnosticLine::ok(Check, what + QStringLiteral(" is reachable and unlocked"));
    const QString fix = keychain ? QStringLiteral("unlock the keychain or start a Secret Service (gnome-keyring, "
                                                  "KWallet); or use --secrets file")
                                 : QStringLiteral("make the data directory and secrets.json writable by you");
    return DiagnosticLine::fail(Check, status.problem().isEmpty() ? what + QStringLiteral(" does not work")
                                                                  : status.problem(),
                                fix);
}

DiagnosticLine SecretStoreCheck::unavailable(const QString &error)
{
    return DiagnosticLine::fail(Check, error, QStringLiteral("use --secrets keychain or --secrets file"));
}

} // namespace Core
