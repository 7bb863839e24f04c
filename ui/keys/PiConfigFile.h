// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Console {

/// Pi's `models.json`: merges one provider into it, keeping the other providers, after copying the
/// previous file to `models.json.bak-<yyyyMMdd-HHmmss>`. Written atomically and readable by the
/// user only (it holds a key). Plain file I/O on the calling (GUI) thread.
class PiConfigFile final
{
public:
    explicit PiConfigFile(QString path) : m_path(std::move(path)) {}

    /// `$PI_CODING_AGENT_DIR/models.json`, else `~/.pi/agent/models.json`.
    static QString defaultPath();

    QString path() const { return m_path; }
    /// Sets the provider @p name; returns the backup's path (empty when there was no file before).
    Core::Result<QString> writeProvider(const QString &name, const QJsonObject &provider,
                                        const QDateTime &now = QDateTime::currentDateTime());

private:
    QString m_path;
};

} // namespace Console
