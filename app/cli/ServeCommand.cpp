// SPDX-License-Identifier: MIT
#include "app/cli/ServeCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/ServeSession.h"
#include "app/cli/SignalWatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Core {

namespace {

constexpr int ShutdownGraceMs = 10'000;

} // namespace

int runServeCommand(const CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the proxy without a window."));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address to listen on (default: the `listen` setting)."),
                                    QStringLiteral("HOST:PORT"));
    parser.addOption(listen);
    if (const std::optional<int> exitCode = Cli::parseCommand(parser, QStringLiteral("serve"), arguments, 0, 0))
        return *exitCode;

    ServeSession session(context, parser.value(listen));
    SignalWatcher watcher;
    int exitCode = 0;
    QObject::connect(&session, &ServeSession::finished, qApp, [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &session,
                     [&session] { session.shutdown(ShutdownGraceMs); });
    if (const Status started = session.start(); !started)
        return Cli::fail(started.error());
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Core
