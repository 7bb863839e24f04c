// SPDX-License-Identifier: MIT
#include "app/gui/ConsoleSession.h"

#include "app/core/backup/BackupReader.h"
#include "app/core/runtime/SingleInstance.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/UsageQueries.h"
#include "app/gui/ScreenshotTour.h"
#include "ui/notify/NotificationCenter.h"
#include "ui/notify/NotificationPresenter.h"
#include "ui/shell/ConsoleWindow.h"
#include "ui/tray/TrayController.h"

#include <QApplication>
#include <QDateTime>
#include <QTimer>

#include <utility>

namespace Gui {

ConsoleSession::ConsoleSession(const Core::CliContext &context, Console::DialogService &dialogs,
                               Core::SingleInstance &instance)
    : m_dialogs(dialogs), m_instance(instance), m_runtime(context.dataDir, context.secrets)
{}

ConsoleSession::~ConsoleSession() = default;

Core::Status ConsoleSession::open()
{
    if (const Core::Status opened = m_runtime.open(); !opened)
        return opened;
    m_secretStatus = std::make_unique<Core::SecretStoreStatus>(m_runtime.secrets());
    QObject::connect(&m_runtime, &Core::ProxyRuntime::requestsRecorded, &m_requestRate,
                     &Console::RequestRateMeter::add);
    const QDateTime midnight = QDateTime(QDate::currentDate(), QTime(0, 0));
    if (const auto today = Core::UsageQueries(m_runtime.database().connection()).requestCountSince(midnight))
        m_requestRate.setTodayBaseline(today.value());
    m_context = std::make_unique<Console::ConsoleContext>(Console::ConsoleContext{
        m_runtime, *m_secretStatus, m_requestRate, m_dialogs,
        [this](std::shared_ptr<const Core::VerifiedBackup> backup) { requestRestore(std::move(backup)); }});

    m_window = Console::createConsoleWindow(*m_context);
    QApplication::setWindowIcon(m_window->windowIcon());
    m_tray = std::make_unique<Console::TrayController>(*m_context, *m_window);
    QApplication::setQuitOnLastWindowClosed(!m_tray->isActive());
    m_notifications = std::make_unique<Console::NotificationCenter>(m_runtime);
    m_notificationPresenter =
        std::make_unique<Console::NotificationPresenter>(*m_notifications, m_tray->icon(), m_window->banner());
    QObject::connect(m_tray.get(), &Console::TrayController::quitRequested, qApp, &QApplication::quit);
    QObject::connect(&m_instance, &Core::SingleInstance::activationRequested, m_window.get(),
                     &Console::MainWindow::bringToFront);
    return {};
}

ConsoleSession::Ending ConsoleSession::run(const std::optional<Notice> &notice)
{
    const auto settings = Core::SettingsRepository(m_runtime.database().connection()).load();
    // A restore's outcome is shown whatever the setting says: the user is looking for it.
    const bool startMinimized = !notice && settings && settings.value().startMinimized && m_tray->isActive();
    if (!startMinimized)
        m_window->show();
    if (notice) {
        // Once the proxy has started (or failed to): the listen-problem banner clears errors when it
        // listens, and this one must stay. Connected after it, so this runs after it.
        const auto showOnce = [this, notice, shown = std::make_shared<bool>(false)] {
            if (!std::exchange(*shown, true))
                m_window->banner().showMessage(notice->kind, notice->text);
        };
        QObject::connect(&m_runtime, &Core::ProxyRuntime::listening, m_window.get(), showOnce);
        QObject::connect(&m_runtime, &Core::ProxyRuntime::failed, m_window.get(), showOnce);
    }
    QTimer::singleShot(0, m_secretStatus.get(), &Core::SecretStoreStatus::probe);
    m_runtime.restartProxy(0);

    std::unique_ptr<ScreenshotTour> tour;
    if (const QString directory = qEnvironmentVariable("KEYGATE_SCREENSHOTS"); !directory.isEmpty()) {
        tour = std::make_unique<ScreenshotTour>(*m_window, directory, m_window->pageIds());
        QObject::connect(tour.get(), &ScreenshotTour::finished, qApp, [](bool ok) { QApplication::exit(ok ? 0 : 1); });
        tour->start(qEnvironmentVariableIntValue("KEYGATE_SCREENSHOTS_SETTLE_MS"));
    }

    Ending ending;
    ending.exitCode = QApplication::exec();
    tour.reset();
    // Shut down before the window goes: shutdown() emits stateChanged, which the tray (holding the
    // window) and the pages still handle. The window then goes after the tray, in reverse declaration order.
    ending.flushed = m_runtime.shutdown();
    ending.restore = std::move(m_pendingRestore);
    return ending;
}

void ConsoleSession::requestRestore(std::shared_ptr<const Core::VerifiedBackup> backup)
{
    m_pendingRestore = std::move(backup);
    QApplication::exit(0); // run() returns; the composition root restores and opens a new session
}

} // namespace Gui
