// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "ui/common/MessageBanner.h"
#include "ui/shell/ConsoleContext.h"
#include "ui/shell/RequestRateMeter.h"

#include <memory>
#include <optional>

namespace Core {
class SingleInstance;
struct VerifiedBackup;
} // namespace Core

namespace Console {
class DialogService;
class MainWindow;
class NotificationCenter;
class NotificationPresenter;
class TrayController;
} // namespace Console

namespace Gui {

/// One run of the console on a data dir, from opening the runtime to the end of its event loop:
/// the runtime (store and proxy threads, holding the data dir's lock), the secret-store status, the
/// window with its pages, the tray and the notifications. A restore ends the session; the
/// composition root then restores and starts a new one. Main thread.
class ConsoleSession final
{
    Q_DISABLE_COPY_MOVE(ConsoleSession)

public:
    /// A message for the new window's banner (the outcome of a restore).
    struct Notice final
    {
        Console::MessageBanner::Kind kind = Console::MessageBanner::Kind::Info;
        QString text;
    };

    /// How the session ended.
    struct Ending final
    {
        int exitCode = 0;
        bool flushed = true; ///< false when usage was left unwritten
        std::shared_ptr<const Core::VerifiedBackup> restore; ///< set when the user asked for a restore
    };

    ConsoleSession(const Core::CliContext &context, Console::DialogService &dialogs, Core::SingleInstance &instance);
    ~ConsoleSession();

    /// Opens the runtime and builds the window, tray and notifications.
    Core::Status open();
    /// Shows the window (with @p notice in its banner), starts the proxy and runs the event loop
    /// until the user quits or asks for a restore; then stops the runtime (proxy, store flush).
    Ending run(const std::optional<Notice> &notice);

private:
    void requestRestore(std::shared_ptr<const Core::VerifiedBackup> backup);

    Console::DialogService &m_dialogs;
    Core::SingleInstance &m_instance;
    // Destroyed in reverse order: the notifications and the tray (which holds the window) go before the
    // window, the window before the runtime its pages use.
    Core::ProxyRuntime m_runtime;
    std::unique_ptr<Core::SecretStoreStatus> m_secretStatus;
    Console::RequestRateMeter m_requestRate;
    std::unique_ptr<Console::ConsoleContext> m_context;
    std::unique_ptr<Console::MainWindow> m_window;
    std::unique_ptr<Console::TrayController> m_tray;
    std::unique_ptr<Console::NotificationCenter> m_notifications;
    std::unique_ptr<Console::NotificationPresenter> m_notificationPresenter;
    std::shared_ptr<const Core::VerifiedBackup> m_pendingRestore;
};

} // namespace Gui
