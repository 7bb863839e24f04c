// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate upstream ...`
int runUpstreamCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
