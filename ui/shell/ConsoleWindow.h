// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"
#include "ui/shell/MainWindow.h"

#include <memory>

namespace Console {

/// Builds the main window with every page (Get started while a step is open, overview, keys, usage,
/// auth trace, accounts, upstream, settings) and the empty states of its tables, the
/// way the application and the GUI tests both use it.
std::unique_ptr<MainWindow> createConsoleWindow(ConsoleContext &context);

} // namespace Console
