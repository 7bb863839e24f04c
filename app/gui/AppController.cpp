// SPDX-License-Identifier: MIT
#include "app/gui/AppController.h"

#include "app/cli/CliOutput.h"
#include "app/cli/SignalWatcher.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/runtime/SingleInstance.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/UsageQueries.h"
#include "app/gui/ScreenshotTour.h"
#include "ui/common/WidgetDialogService.h"
#include "ui/notify/NotificationCenter.h"
#include "ui/notify/NotificationPresenter.h"
#include "ui/shell/ColorScheme.h"
#include "ui/shell/ConsoleWindow.h"
#include "ui/shell/RequestRateMeter.h"
#include "ui/tray/TrayController.h"

#include <QApplication>
#include <QDateTime>
#include <QMessageBox>
#include <QTimer>

namespace Gui {

AppController::AppController(Core::CliContext context) : m_context(std::move(context)) {}

int AppController::run()
{
    Core::SingleInstance instance(m_context.dataDir);
    if (!instance.claim()) {
        Core::Cli::note(QStringLiteral("Keygate is already running; its window was brought to the front"));
        return 0;
    }
    Core::ProxyRuntime runtime(m_context.dataDir, m_context.secrets);
    if (const Core::Status opened = runtime.open(); !opened) {
        Core::Cli::fail(opened.error());
        QMessageBox::critical(nullptr, QStringLiteral("Keygate"), opened.error());
        return 1;
    }
    Core::SecretStoreStatus secretStatus(runtime.secrets());
    Console::RequestRateMeter requestRate;
    QObject::connect(&runtime, &Core::ProxyRuntime::requestsRecorded, &requestRate, &Console::RequestRateMeter::add);
    const QDateTime midnight = QDateTime(QDate::currentDate(), QTime(0, 0));
    if (const auto today = Core::UsageQueries(runtime.database().connection()).requestCountSince(midnight))
        requestRate.setTodayBaseline(today.value());
    Console::ColorScheme::applyFromEnvironment();
    Console::WidgetDialogService dialogs;
    Console::ConsoleContext context{runtime, secretStatus, requestRate, dialogs};

    std::unique_ptr<Console::MainWindow> window = Console::createConsoleWindow(context);
    QApplication::setWindowIcon(window->windowIcon());
    Console::TrayController tray(context, *window);
    QApplication::setQuitOnLastWindowClosed(!tray.isActive());
    Console::NotificationCenter notifications(runtime);
    Console::NotificationPresenter notificationPresenter(notifications, tray.icon(), window->banner());
    QObject::connect(&tray, &Console::TrayController::quitRequested, qApp, &QApplication::quit);
    Core::SignalWatcher signals_; // SIGTERM/SIGINT (logout, systemd, Ctrl+C) quit cleanly: usage is flushed
    QObject::connect(&signals_, &Core::SignalWatcher::terminationRequested, qApp, &QApplication::quit);
    QObject::connect(&instance, &Core::SingleInstance::activationRequested, window.get(),
                     &Console::MainWindow::bringToFront);

    const auto settings = Core::SettingsRepository(runtime.database().connection()).load();
    const bool startMinimized = settings && settings.value().startMinimized && tray.isActive();
    if (!startMinimized)
        window->show();
    QTimer::singleShot(0, &secretStatus, &Core::SecretStoreStatus::probe);
    runtime.restartProxy(0);

    std::unique_ptr<ScreenshotTour> tour;
    if (const QString directory = qEnvironmentVariable("KEYGATE_SCREENSHOTS"); !directory.isEmpty()) {
        tour = std::make_unique<ScreenshotTour>(*window, directory, window->pageIds());
        QObject::connect(tour.get(), &ScreenshotTour::finished, qApp, [](bool ok) { QApplication::exit(ok ? 0 : 1); });
        tour->start(qEnvironmentVariableIntValue("KEYGATE_SCREENSHOTS_SETTLE_MS"));
    }

    const int exitCode = QApplication::exec();
    tour.reset();
    // Shut down before the window goes: shutdown() emits stateChanged, which the tray (holding the
    // window) and the pages still handle. The window then goes after the tray, in reverse declaration order.
    return runtime.shutdown() ? exitCode : 1;
}

} // namespace Gui
