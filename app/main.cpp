// SPDX-License-Identifier: MIT
#include "app/cli/CliApplication.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Worker threads (proxy, store) get Qt's own event dispatcher: the GLib one wakes the loop with an
    // eventfd write on every posted event, several per proxied request. The main thread keeps GLib,
    // which QtKeychain's libsecret backend needs to complete its jobs. Set before any thread starts.
    if (qEnvironmentVariableIsEmpty("QT_NO_THREADED_GLIB"))
        qputenv("QT_NO_THREADED_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("keygate"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    return Core::runCli(QCoreApplication::arguments());
}
