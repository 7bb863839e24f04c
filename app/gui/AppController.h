// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"

namespace Console {
class DialogService;
}

namespace Gui {

/// The console's composition root: the single-instance guard, held for the whole run, around one
/// ConsoleSession after another: the first on start, then a new one after each restore from
/// File → Restore…, which runs between them while nothing holds the data dir. Main thread.
class AppController final
{
public:
    /// @p dialogs is the modal seam every session's window uses (a scripted one in GUI tests).
    AppController(Core::CliContext context, Console::DialogService &dialogs);

    /// Runs the console until the user quits; returns the process exit code.
    int run();

private:
    Core::CliContext m_context;
    Console::DialogService &m_dialogs;
};

} // namespace Gui
