// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate backup FILE [--with-secrets] [--json]`
int runBackupCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
