// SPDX-License-Identifier: MIT
#include "app/core/runtime/Autostart.h"

#include "app/core/runtime/AppIdentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace Core {

namespace {
// Characters that force quoting of an Exec argument (Desktop Entry Specification, "The Exec key").
constexpr QStringView ReservedCharacters = u" \t\n\"'\\><~|&;$*?#()`";
} // namespace

Autostart::Autostart(QString executable)
    : m_executable(executable.isEmpty() ? QCoreApplication::applicationFilePath() : std::move(executable))
{}

QString Autostart::entryPath()
{
    QString configHome = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (configHome.isEmpty() || QDir::isRelativePath(configHome)) // the spec says to ignore relative paths
        configHome = QDir::home().filePath(QStringLiteral(".config"));
    return QDir(configHome).filePath(QStringLiteral("autostart/keygate.desktop"));
}

QString Autostart::execArgument(const QString &argument)
{
    QString quoted;
    bool needsQuotes = argument.isEmpty();
    for (const QChar c : argument) {
        if (ReservedCharacters.contains(c))
            needsQuotes = true;
        // Inside double quotes, ", `, $ and \ are escaped with a backslash.
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    QString argumentText = needsQuotes ? u'"' + quoted + u'"' : argument;
    // The value is also a string: its own escape rule applies first when read, so backslashes
    // are doubled once more; and % starts a field code, so a literal one is written %%.
    QString value;
    for (const QChar c : argumentText) {
        if (c == u'\\')
            value += QStringLiteral("\\\\");
        else if (c == u'\n')
            value += QStringLiteral("\\n");
        else if (c == u'\t')
            value += QStringLiteral("\\t");
        else if (c == u'%')
            value += QStringLiteral("%%");
        else
            value += c;
    }
    return value;
}

QByteArray Autostart::desktopEntry(const QString &executable)
{
    const QString text = QStringLiteral("[Desktop Entry]\n"
                                        "Type=Application\n"
                                        "Name=Keygate\n"
                                        "Comment=Local API-key gateway for LLM coding clients\n"
                                        "Exec=%1\n"
                                        "Icon=%2\n"
                                        "Terminal=false\n"
                                        "X-GNOME-Autostart-enabled=true\n")
                             .arg(execArgument(executable), AppIdentity::Id);
    return text.toUtf8();
}

bool Autostart::isEnabled() const
{
    return QFileInfo::exists(entryPath());
}

Status Autostart::setEnabled(bool enabled)
{
    const QString path = entryPath();
    if (!enabled) {
        QFile entry(path);
        if (entry.exists() && !entry.remove())
            return Status::failure(QStringLiteral("cannot remove %1: %2").arg(path, entry.errorString()));
        return Status::success();
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Status::failure(
            QStringLiteral("cannot create the folder %1").arg(QFileInfo(path).absolutePath()));
    QSaveFile entry(path);
    if (!entry.open(QIODevice::WriteOnly) || entry.write(desktopEntry(m_executable)) < 0 || !entry.commit())
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, entry.errorString()));
    return Status::success();
}

} // namespace Core
