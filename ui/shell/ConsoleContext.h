// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

namespace Core {
class ProxyRuntime;
class SecretStoreStatus;
struct VerifiedBackup;
} // namespace Core

namespace Console {

class DialogService;
class RequestRateMeter;

/// What every page is given: the running core, the secret-store health, the live request counter
/// and the dialog seam. All live on the GUI thread and outlive the window.
struct ConsoleContext final
{
    Core::ProxyRuntime &runtime;
    Core::SecretStoreStatus &secretStatus;
    RequestRateMeter &requestRate;
    DialogService &dialogs;
    /// Restores @p backup in place (File → Restore…, after the user confirmed): set by whoever owns
    /// the runtime, since a restore replaces it. The console's composition root ends this session
    /// (runtime, window, tray), restores and opens a new one on the restored data.
    std::function<void(std::shared_ptr<const Core::VerifiedBackup> backup)> restoreRequested{};
};

} // namespace Console
