// SPDX-License-Identifier: MIT
#include "ui/shell/ConsoleWindow.h"

#include "ui/accounts/AccountsPage.h"
#include "ui/keys/KeysPage.h"
#include "ui/overview/OverviewPage.h"
#include "ui/settings/SettingsPage.h"
#include "ui/start/EmptyStates.h"
#include "ui/start/GetStartedState.h"
#include "ui/start/StartActions.h"
#include "ui/start/StartPage.h"
#include "ui/trace/TracePage.h"
#include "ui/upstream/UpstreamPage.h"
#include "ui/usage/UsagePage.h"

#include <QIcon>

namespace Console {

std::unique_ptr<MainWindow> createConsoleWindow(ConsoleContext &context)
{
    auto window = std::make_unique<MainWindow>(context);
    const auto icon = [](const char *name) {
        return QIcon(QStringLiteral(":/keygate/icons/%1.svg").arg(QLatin1String(name)));
    };
    window->setWindowIcon(icon("keygate"));
    auto *overview = new OverviewPage(context);
    auto *keys = new KeysPage(context);
    auto *usage = new UsagePage(context);
    auto *trace = new TracePage(context);
    auto *accounts = new AccountsPage(context);
    auto *start = new GetStartedState(context.runtime, window.get());
    QObject::connect(keys, &KeysPage::clientSnippetsShown, start, &GetStartedState::markClientShown);
    auto *actions = new StartActions(context, *window, *accounts, *keys, window.get());
    addEmptyStates(*keys, *accounts, *usage, *trace, *actions);
    // Get started leads the sidebar while a step is open, until the user hides it.
    if (start->isWanted()) {
        window->addPage(QStringLiteral("start"), MainWindow::tr("Get started"), icon("start"),
                        new StartPage(context.runtime, *start, *actions));
        QObject::connect(start, &GetStartedState::dismissed, window.get(),
                         [page = window.get()] { page->removePage(QStringLiteral("start")); });
    }
    window->addPage(QStringLiteral("overview"), MainWindow::tr("Overview"), icon("overview"), overview);
    window->addPage(QStringLiteral("keys"), MainWindow::tr("Keys"), icon("keys"), keys);
    window->addPage(QStringLiteral("usage"), MainWindow::tr("Usage"), icon("usage"), usage);
    window->addPage(QStringLiteral("trace"), MainWindow::tr("Auth trace"), icon("trace"), trace);
    window->addPage(QStringLiteral("accounts"), MainWindow::tr("Accounts"), icon("accounts"), accounts);
    window->addPage(QStringLiteral("upstream"), MainWindow::tr("Upstream"), icon("upstream"), new UpstreamPage(context));
    window->addPage(QStringLiteral("settings"), MainWindow::tr("Settings"), icon("settings"), new SettingsPage(context));
    QObject::connect(overview, &OverviewPage::traceRequested, window.get(),
                     [window = window.get(), trace](const QString &requestId, const QDateTime &time) {
                         window->showPage(QStringLiteral("trace"));
                         trace->showRequest(requestId, time);
                     });
    return window;
}

} // namespace Console
