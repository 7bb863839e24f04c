// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate restore FILE [--force] [--skip-secrets] [--json]`
int runRestoreCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
