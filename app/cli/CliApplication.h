// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

#include <optional>

namespace Core {

/// A command line split into the global options, the command and its arguments.
struct Invocation final
{
    CliContext context;
    QString command; ///< empty: no command (the console with a display, else `serve`)
    QStringList rest;
    std::optional<int> exitCode; ///< set when parsing already finished the run (--help, a usage error)
};

/// Parses the global options (accepted anywhere before "--"). @p arguments includes the program
/// name. Prints help, the version or a usage error itself (then exitCode is set).
Invocation parseInvocation(const QStringList &arguments);

/// Dispatches @p invocation to its command; no command runs `serve`. Needs a QCoreApplication.
/// Returns the process exit code (0 ok, 1 error, 2 usage).
int runCli(const Invocation &invocation);

/// The defaults from the environment: KEYGATE_DATA_DIR (else the platform's app-data dir for
/// "keygate") and KEYGATE_SECRETS (else keychain).
CliContext defaultCliContext();

} // namespace Core
