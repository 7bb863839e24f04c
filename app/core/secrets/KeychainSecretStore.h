// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/secrets/SecretStore.h"

namespace Core {

/// The OS keychain through QtKeychain (Secret Service on Linux), under one service name per data
/// directory (see serviceFor()), so two Keygates (or tests) never share `key/<id>` entries.
/// Each job runs to completion in a local QEventLoop with a timeout; there is no insecure
/// fallback: an unavailable keychain is an error that names `--secrets file`.
/// Main thread only (QtKeychain jobs are QObjects finishing through the event loop).
class KeychainSecretStore final : public SecretStore
{
    Q_DISABLE_COPY_MOVE(KeychainSecretStore)

public:
    explicit KeychainSecretStore(QString service = QStringLiteral("keygate"), int timeoutMs = 5000);

    SecretResult read(const QString &name) override;
    SecretResult write(const QString &name, const QByteArray &value) override;
    SecretResult remove(const QString &name) override;
    QString backendName() const override { return QStringLiteral("keychain"); }
    QString service() const { return m_service; }

    /// "keygate" for the default data directory @p defaultDataDir (what earlier versions used),
    /// "keygate:<absolute path>" for any other.
    static QString serviceFor(const QString &dataDir, const QString &defaultDataDir);

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace Core
