// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

namespace Gui {

/// The console's composition root (compiled only into the executable): the single-instance guard,
/// the runtime (store + proxy threads), the secret-store status, the window with its pages and the
/// tray. Main thread.
class AppController final
{
public:
    explicit AppController(Core::CliContext context);

    /// Runs the console until the user quits; returns the process exit code.
    int run();

private:
    Core::CliContext m_context;
};

} // namespace Gui
