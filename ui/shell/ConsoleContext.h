// SPDX-License-Identifier: MIT
#pragma once

namespace Core {
class ProxyRuntime;
class SecretStoreStatus;
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
};

} // namespace Console
