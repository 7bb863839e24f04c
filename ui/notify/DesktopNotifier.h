// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Console {

/// Sends freedesktop notifications (org.freedesktop.Notifications on the session bus), for desktops
/// without a system tray. Fire and forget: nothing waits for the notification server. GUI thread.
class DesktopNotifier final
{
public:
    /// A notification server runs on the session bus now.
    static bool isAvailable();
    /// @p critical: urgency "critical" instead of "normal".
    static bool notify(const QString &title, const QString &text, bool critical);
};

} // namespace Console
