// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate serve [--listen HOST:PORT]`: the headless proxy. Runs until SIGINT/SIGTERM.
int runServeCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
