// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/secrets/SecretStore.h"

#include <QJsonObject>

namespace Core {

/// Secrets in `<dataDir>/secrets.json` (a JSON object of base64 values), mode 0600 in a 0700
/// directory, replaced atomically on every write. The explicit choice (`--secrets file`) for
/// machines without a keychain. Main thread only.
class FileSecretStore final : public SecretStore
{
    Q_DISABLE_COPY_MOVE(FileSecretStore)

public:
    explicit FileSecretStore(QString dataDir);

    SecretResult read(const QString &name) override;
    SecretResult write(const QString &name, const QByteArray &value) override;
    SecretResult remove(const QString &name) override;
    QString backendName() const override { return QStringLiteral("file"); }

    QString filePath() const;

private:
    SecretResult load(QJsonObject &object) const;
    SecretResult save(const QJsonObject &object) const;

    QString m_dataDir;
};

} // namespace Core
