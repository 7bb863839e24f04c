// SPDX-License-Identifier: MIT
#include "app/core/runtime/ListenerRecord.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cerrno>
#include <csignal>

namespace Core {

QString ListenerRecord::path(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("listener.json"));
}

void ListenerRecord::write(const QString &dataDir, const QString &host, quint16 port)
{
    QSaveFile file(path(dataDir));
    if (!file.open(QIODevice::WriteOnly))
        return;
    const QJsonObject object{{QStringLiteral("pid"), QCoreApplication::applicationPid()},
                             {QStringLiteral("host"), host},
                             {QStringLiteral("port"), int(port)}};
    file.write(QJsonDocument(object).toJson(QJsonDocument::Compact));
    file.commit();
}

void ListenerRecord::clear(const QString &dataDir)
{
    const std::optional<ListenerRecord> record = read(dataDir);
    if (record && record->pid == QCoreApplication::applicationPid())
        QFile::remove(path(dataDir));
}

std::optional<ListenerRecord> ListenerRecord::read(const QString &dataDir)
{
    QFile file(path(dataDir));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(file.read(4096)).object();
    ListenerRecord record;
    record.pid = object.value(u"pid").toInteger();
    record.host = object.value(u"host").toString();
    const int port = object.value(u"port").toInt();
    if (record.pid <= 0 || port <= 0 || port > 65535)
        return std::nullopt;
    record.port = quint16(port);
    return record;
}

bool ListenerRecord::processAlive() const
{
    // Signal 0 checks existence only; EPERM means it exists under another user.
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

} // namespace Core
