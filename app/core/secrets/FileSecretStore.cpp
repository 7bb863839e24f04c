// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"

#include "app/core/storage/Database.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace Core {

namespace {
constexpr auto OwnerOnly = QFile::ReadOwner | QFile::WriteOwner;
}

FileSecretStore::FileSecretStore(QString dataDir) : m_dataDir(std::move(dataDir)) {}

QString FileSecretStore::filePath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("secrets.json"));
}

SecretResult FileSecretStore::load(QJsonObject &object) const
{
    QFile file(filePath());
    if (!file.exists()) {
        object = {};
        return SecretResult::success();
    }
    if (!file.open(QIODevice::ReadOnly))
        return SecretResult::failure(SecretError::AccessDenied,
                                     QStringLiteral("cannot read %1: %2").arg(filePath(), file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return SecretResult::failure(SecretError::Other,
                                     QStringLiteral("%1 is not a JSON object: %2").arg(filePath(), error.errorString()));
    object = document.object();
    return SecretResult::success();
}

SecretResult FileSecretStore::save(const QJsonObject &object) const
{
    if (const Status status = Database::ensureDataDir(m_dataDir); !status)
        return SecretResult::failure(SecretError::Unavailable, status.error());
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly))
        return SecretResult::failure(SecretError::AccessDenied,
                                     QStringLiteral("cannot write %1: %2").arg(filePath(), file.errorString()));
    // Restrict the temporary file before any secret byte reaches it.
    if (!file.setPermissions(OwnerOnly)) {
        file.cancelWriting();
        return SecretResult::failure(SecretError::Other,
                                     QStringLiteral("cannot restrict permissions of %1").arg(filePath()));
    }
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return SecretResult::failure(SecretError::Other,
                                     QStringLiteral("cannot write %1: %2").arg(filePath(), file.errorString()));
    QFile::setPermissions(filePath(), OwnerOnly);
    return SecretResult::success();
}

SecretResult FileSecretStore::read(const QString &name)
{
    QJsonObject object;
    if (SecretResult result = load(object); !result.ok)
        return result;
    const QJsonValue value = object.value(name);
    if (!value.isString())
        return SecretResult::failure(SecretError::NotFound,
                                     QStringLiteral("secret \"%1\" not found in %2").arg(name, filePath()));
    return SecretResult::success(QByteArray::fromBase64(value.toString().toLatin1()));
}

SecretResult FileSecretStore::write(const QString &name, const QByteArray &value)
{
    QJsonObject object;
    if (SecretResult result = load(object); !result.ok)
        return result;
    object.insert(name, QString::fromLatin1(value.toBase64()));
    return save(object);
}

SecretResult FileSecretStore::remove(const QString &name)
{
    QJsonObject object;
    if (SecretResult result = load(object); !result.ok)
        return result;
    if (!object.contains(name))
        return SecretResult::failure(SecretError::NotFound,
                                     QStringLiteral("secret \"%1\" not found in %2").arg(name, filePath()));
    object.remove(name);
    return save(object);
}

} // namespace Core
