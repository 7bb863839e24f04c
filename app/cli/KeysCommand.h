// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate keys create|list|disable|enable|delete|regenerate|reveal|limit|models|efforts ...`
int runKeysCommand(const CliContext &context, const QStringList &arguments);

} // namespace Core
