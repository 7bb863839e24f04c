// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/secrets/SecretStore.h"

#include <QObject>

namespace Core {

/// Whether the secret store works, as last observed: probed once at start (a write and a delete of a
/// probe entry, because a read of a missing entry looks the same on a broken keychain) and updated
/// by every result callers report. Main thread.
class SecretStoreStatus final : public QObject
{
    Q_OBJECT

public:
    enum class State { Unknown, Available, Unavailable };
    Q_ENUM(State)

    explicit SecretStoreStatus(SecretStore &secrets, QObject *parent = nullptr);

    /// Writes and removes `probe/status`; blocks for up to the store's timeout.
    void probe();
    /// Folds the outcome of any secret-store call into the state.
    void report(const SecretResult &result);

    State state() const { return m_state; }
    bool isAvailable() const { return m_state != State::Unavailable; }
    QString backendName() const { return m_secrets.backendName(); }
    QString problem() const { return m_problem; } ///< why it is unavailable
    /// "Keychain: ready", "Keychain: unavailable", "Secrets: file"
    QString summary() const;

signals:
    void changed(Core::SecretStoreStatus::State state);

private:
    void setState(State state, const QString &problem);

    SecretStore &m_secrets;
    State m_state = State::Unknown;
    QString m_problem;
};

} // namespace Core
