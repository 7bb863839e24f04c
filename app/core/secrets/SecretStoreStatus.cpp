// SPDX-License-Identifier: MIT
#include "app/core/secrets/SecretStoreStatus.h"

namespace Core {

SecretStoreStatus::SecretStoreStatus(SecretStore &secrets, QObject *parent) : QObject(parent), m_secrets(secrets) {}

void SecretStoreStatus::probe()
{
    const QString name = QStringLiteral("probe/status");
    const SecretResult written = m_secrets.write(name, QByteArrayLiteral("ok"));
    if (!written.ok) {
        report(written);
        return;
    }
    m_secrets.remove(name);
    setState(State::Available, {});
}

void SecretStoreStatus::report(const SecretResult &result)
{
    if (result.ok)
        setState(State::Available, {});
    else if (result.error == SecretError::Unavailable || result.error == SecretError::Timeout
             || result.error == SecretError::AccessDenied)
        setState(State::Unavailable, result.message);
}

QString SecretStoreStatus::summary() const
{
    const bool keychain = m_secrets.backendName() == u"keychain";
    const QString what = keychain ? tr("Keychain") : tr("Secrets file");
    switch (m_state) {
    case State::Available:
        return what + tr(": ready");
    case State::Unavailable:
        return what + tr(": unavailable");
    case State::Unknown:
        break;
    }
    return what + tr(": not checked yet");
}

void SecretStoreStatus::setState(State state, const QString &problem)
{
    if (state == m_state && problem == m_problem)
        return;
    m_state = state;
    m_problem = problem;
    emit changed(state);
}

} // namespace Core
