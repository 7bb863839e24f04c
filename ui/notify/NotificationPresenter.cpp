// SPDX-License-Identifier: MIT
#include "ui/notify/NotificationPresenter.h"

#include "ui/common/MessageBanner.h"
#include "ui/notify/DesktopNotifier.h"

#include <QSystemTrayIcon>

namespace Console {

namespace {

constexpr int BalloonMs = 10'000;

bool isProblem(Core::NotificationKind kind)
{
    return kind == Core::NotificationKind::ProxyDown || kind == Core::NotificationKind::PoolRateLimited;
}

} // namespace

NotificationPresenter::NotificationPresenter(NotificationCenter &center, QSystemTrayIcon *tray,
                                             MessageBanner &fallback, QObject *parent)
    : QObject(parent), m_tray(tray), m_fallback(&fallback)
{
    connect(&center, &NotificationCenter::notified, this, &NotificationPresenter::show);
}

void NotificationPresenter::show(const Notification &notification)
{
    if (m_tray && m_tray->isVisible() && QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(notification.title, notification.text,
                            isProblem(notification.kind) ? QSystemTrayIcon::Warning
                                                         : QSystemTrayIcon::Information,
                            BalloonMs);
        return;
    }
    if (DesktopNotifier::isAvailable() &&
        DesktopNotifier::notify(notification.title, notification.text, isProblem(notification.kind)))
        return;
    if (m_fallback)
        m_fallback->showMessage(isProblem(notification.kind) ? MessageBanner::Kind::Warning
                                                             : MessageBanner::Kind::Info,
                                notification.title + QStringLiteral(": ") + notification.text);
}

} // namespace Console
