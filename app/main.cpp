// SPDX-License-Identifier: MIT
#include "app/cli/CliApplication.h"
#include "app/core/runtime/AppIdentity.h"
#include "app/gui/AppController.h"
#include "ui/common/WidgetDialogService.h"

#include <QApplication>
#include <QCoreApplication>

namespace {

// A display to open the console on: X11, Wayland, or a platform chosen explicitly (offscreen, tests).
bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

QStringList argumentsOf(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

} // namespace

int main(int argc, char *argv[])
{
    // Worker threads (proxy, store) get Qt's own event dispatcher: the GLib one wakes the loop with an
    // eventfd write on every posted event, several per proxied request. The main thread keeps GLib,
    // which QtKeychain's libsecret backend needs to complete its jobs. Set before any thread starts.
    if (qEnvironmentVariableIsEmpty("QT_NO_THREADED_GLIB"))
        qputenv("QT_NO_THREADED_GLIB", "1");
    QCoreApplication::setApplicationName(QStringLiteral("keygate"));
    QCoreApplication::setApplicationVersion(Core::AppIdentity::Version.toString());

    const Core::Invocation invocation = Core::parseInvocation(argumentsOf(argc, argv));
    if (!invocation.exitCode && invocation.command.isEmpty() && hasDisplay()) {
        QApplication app(argc, argv);
        QApplication::setApplicationDisplayName(QStringLiteral("Keygate"));
        QApplication::setDesktopFileName(Core::AppIdentity::Id.toString());
        Console::WidgetDialogService dialogs;
        return Gui::AppController(invocation.context, dialogs).run();
    }
    QCoreApplication app(argc, argv);
    return Core::runCli(invocation);
}
