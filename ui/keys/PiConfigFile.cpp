// SPDX-License-Identifier: MIT
#include "ui/keys/PiConfigFile.h"

#include "app/core/services/ClientSnippets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace Console {

QString PiConfigFile::defaultPath()
{
    const QString agentDir = qEnvironmentVariable("PI_CODING_AGENT_DIR");
    const QString dir = agentDir.isEmpty() ? QDir::home().filePath(QStringLiteral(".pi/agent")) : agentDir;
    return QDir(dir).filePath(QStringLiteral("models.json"));
}

Core::Result<QString> PiConfigFile::writeProvider(const QString &name, const QJsonObject &provider,
                                                  const QDateTime &now)
{
    using Failure = Core::Result<QString>;
    QByteArray existing;
    const bool exists = QFileInfo::exists(m_path);
    if (exists) {
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly))
            return Failure::failure(QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString()));
        existing = file.readAll();
    }
    const Core::Result<QByteArray> merged = Core::ClientSnippets::mergePiProvider(existing, name, provider);
    if (!merged)
        return Failure::failure(QStringLiteral("%1: %2; it was left unchanged").arg(m_path, merged.error()));

    QString backup;
    if (exists) {
        const QString base =
            m_path + QStringLiteral(".bak-") + now.toString(QStringLiteral("yyyyMMdd-HHmmss"));
        backup = base;
        for (int n = 2; QFileInfo::exists(backup); ++n)
            backup = base + u'-' + QString::number(n);
        if (!QFile::copy(m_path, backup))
            return Failure::failure(
                QStringLiteral("cannot back up %1 to %2; nothing was written").arg(m_path, backup));
    }
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return Failure::failure(QStringLiteral("cannot create the folder of %1").arg(m_path));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Failure::failure(QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    // The temporary file is made owner-only before the key is written into it (a new file's would
    // otherwise follow the umask, readable by others until the rename).
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return Failure::failure(QStringLiteral("cannot make %1 private: %2").arg(m_path, file.errorString()));
    file.write(merged.value());
    if (!file.commit())
        return Failure::failure(QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    return backup;
}

} // namespace Console
