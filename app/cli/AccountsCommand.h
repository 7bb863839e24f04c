// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate accounts ...`: the upstream account pool.
int runAccountsCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
