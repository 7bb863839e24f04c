// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QString>

namespace Core {

/// "Start at login" on freedesktop desktops: the XDG autostart entry
/// `$XDG_CONFIG_HOME/autostart/keygate.desktop` (default `~/.config`). Whether it is enabled is
/// whether that file exists. Any thread; it only touches that one file.
class Autostart final
{
public:
    /// @p executable is what the entry starts (empty: QCoreApplication::applicationFilePath()).
    explicit Autostart(QString executable = {});

    bool isEnabled() const;
    /// Writes (atomically) or removes the entry.
    Status setEnabled(bool enabled);

    QString executable() const { return m_executable; }
    /// Where the entry lives, from XDG_CONFIG_HOME at the time of the call.
    static QString entryPath();
    /// The file's text for @p executable.
    static QByteArray desktopEntry(const QString &executable);
    /// One Exec= argument, quoted and escaped as the Desktop Entry Specification asks.
    static QString execArgument(const QString &argument);

private:
    QString m_executable;
};

} // namespace Core
