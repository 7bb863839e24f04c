// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

#include <optional>

namespace Core {

/// Parses the global options and dispatches to a command. @p arguments includes the program
/// name. Needs a QCoreApplication. Returns the process exit code (0 ok, 1 error, 2 usage).
int runCli(const QStringList &arguments);

/// The defaults from the environment: KEYGATE_DATA_DIR (else the platform's app-data dir for
/// "keygate") and KEYGATE_SECRETS (else keychain).
CliContext defaultCliContext();

} // namespace Core
