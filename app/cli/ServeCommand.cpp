// SPDX-License-Identifier: MIT
#include "app/cli/ServeCommand.h"

#include "app/cli/ServeSession.h"
#include "app/cli/SignalWatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

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
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("keygate serve")} + arguments)) {
        std::fprintf(stderr, "keygate serve: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "keygate serve: unexpected argument '%s'\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }

    ServeSession session(context, parser.value(listen));
    SignalWatcher watcher;
    int exitCode = 0;
    QObject::connect(&session, &ServeSession::finished, qApp, [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &session,
                     [&session] { session.shutdown(ShutdownGraceMs); });
    if (const Status started = session.start(); !started) {
        std::fprintf(stderr, "keygate: error: %s\n", qPrintable(started.error()));
        return 1;
    }
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Core
