// SPDX-License-Identifier: MIT
#pragma once

#include "ui/common/MessageBanner.h"
#include "ui/notify/NotificationCenter.h"

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace Console {

/// Shows what the NotificationCenter decided: a tray balloon where there is a tray that can show
/// messages, else a freedesktop notification where a notification server runs, else the window's
/// banner (as long as the window exists). GUI thread.
class NotificationPresenter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationPresenter)

public:
    /// @p tray may be null (no system tray).
    NotificationPresenter(NotificationCenter &center, QSystemTrayIcon *tray, MessageBanner &fallback,
                          QObject *parent = nullptr);

    void show(const Notification &notification);

private:
    QPointer<QSystemTrayIcon> m_tray;
    QPointer<MessageBanner> m_fallback; // the window's; gone once the window closes for good
};

} // namespace Console
