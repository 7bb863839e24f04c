// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate import codex-lb --db PATH [--dry-run] [--json]`
int runImportCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
