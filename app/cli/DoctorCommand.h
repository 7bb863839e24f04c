// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate doctor [--json] [--timeout SECONDS]`
int runDoctorCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
