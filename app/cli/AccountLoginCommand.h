// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

#include <QStringList>

namespace Core {

/// `keygate accounts login [--device | --paste] [--name NAME]`: a ChatGPT sign-in from the terminal.
int runAccountLogin(const CliContext &context, const QStringList &arguments);

} // namespace Core
