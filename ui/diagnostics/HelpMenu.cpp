// SPDX-License-Identifier: MIT
#include "ui/diagnostics/HelpMenu.h"

#include "ui/diagnostics/DiagnosticsDialog.h"

#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace Console {

HelpMenu::HelpMenu(ConsoleContext &context, QMainWindow &window)
    : QObject(&window), m_context(context), m_window(window)
{
    QMenu *menu = window.menuBar()->addMenu(tr("&Help"));
    menu->setObjectName(QStringLiteral("helpMenu"));
    QAction *diagnostics = menu->addAction(tr("&Diagnostics…"));
    diagnostics->setObjectName(QStringLiteral("diagnosticsAction"));
    diagnostics->setStatusTip(tr("Check the secret store, database, listen address, accounts, clock and prices"));
    connect(diagnostics, &QAction::triggered, this, &HelpMenu::showDiagnostics);
}

void HelpMenu::showDiagnostics()
{
    if (!m_dialog) {
        m_dialog = new DiagnosticsDialog(m_context, &m_window);
        m_dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_dialog->run();
    }
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
}

} // namespace Console
