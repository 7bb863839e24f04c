// SPDX-License-Identifier: MIT
#include "ui/shell/ConsoleWindow.h"

#include "ui/keys/KeysPage.h"
#include "ui/settings/SettingsPage.h"
#include "ui/trace/TracePage.h"
#include "ui/upstream/UpstreamPage.h"
#include "ui/usage/UsagePage.h"

#include <QStyle>

namespace Console {

std::unique_ptr<MainWindow> createConsoleWindow(ConsoleContext &context)
{
    auto window = std::make_unique<MainWindow>(context);
    QStyle *style = window->style();
    window->addPage(QStringLiteral("keys"), MainWindow::tr("Keys"), style->standardIcon(QStyle::SP_DialogApplyButton),
                    new KeysPage(context));
    window->addPage(QStringLiteral("usage"), MainWindow::tr("Usage"),
                    style->standardIcon(QStyle::SP_FileDialogDetailedView), new UsagePage(context));
    window->addPage(QStringLiteral("trace"), MainWindow::tr("Auth trace"),
                    style->standardIcon(QStyle::SP_FileDialogContentsView), new TracePage(context));
    window->addPage(QStringLiteral("upstream"), MainWindow::tr("Upstream"),
                    style->standardIcon(QStyle::SP_DriveNetIcon), new UpstreamPage(context));
    window->addPage(QStringLiteral("settings"), MainWindow::tr("Settings"),
                    style->standardIcon(QStyle::SP_FileDialogListView), new SettingsPage(context));
    return window;
}

} // namespace Console
