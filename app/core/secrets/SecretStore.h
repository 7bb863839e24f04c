// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <utility>

namespace Core {

enum class SecretError { None, NotFound, Unavailable, AccessDenied, Timeout, Other };

struct SecretResult final
{
    bool ok = false;
    QByteArray value; ///< the secret on a successful read
    SecretError error = SecretError::None;
    QString message;  ///< human-readable, never contains the secret

    static SecretResult success(QByteArray value = {}) { return {true, std::move(value), SecretError::None, {}}; }
    static SecretResult failure(SecretError error, QString message)
    {
        return {false, {}, error, std::move(message)};
    }
};

/// Where plaintext secrets live (API keys, upstream tokens). Synchronous; call it from the main
/// thread only, never from the proxy thread. Names: `key/<id>`, `upstream/token`,
/// `upstream/refresh-token`.
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    virtual SecretResult read(const QString &name) = 0;
    virtual SecretResult write(const QString &name, const QByteArray &value) = 0;
    /// Removing a missing secret fails with NotFound.
    virtual SecretResult remove(const QString &name) = 0;
    /// "keychain" or "file".
    virtual QString backendName() const = 0;

    static QString keySecretName(qint64 keyId) { return QStringLiteral("key/%1").arg(keyId); }
    static QString upstreamTokenName() { return QStringLiteral("upstream/token"); }
    static QString upstreamRefreshTokenName() { return QStringLiteral("upstream/refresh-token"); }
};

} // namespace Core
