// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>
#include <QPointer>

class QMainWindow;

namespace Console {

class DiagnosticsDialog;

/// The window's Help menu (Alt+H): Diagnostics… (Alt+H, D) opens the DiagnosticsDialog and runs the
/// checks; opening it again while it is shown raises it. Owned by the window. GUI thread.
class HelpMenu final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HelpMenu)

public:
    HelpMenu(ConsoleContext &context, QMainWindow &window);

    void showDiagnostics();

private:
    ConsoleContext &m_context;
    QMainWindow &m_window;
    QPointer<DiagnosticsDialog> m_dialog;
};

} // namespace Console
