// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include "app/core/storage/AccountRecord.h"

#include "proxy/routing/UpstreamAccount.h"

#include <QHash>
#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace Console {

class MainWindow;

/// The tray icon: proxy state, requests today and the account pool's remaining quota in its tooltip
/// and menu, show/hide, copy the base
/// URL, start/stop the proxy and quit. While it exists, closing the window hides it (said once).
/// Does nothing where the platform has no tray. GUI thread.
class TrayController final : public QObject
{
    Q_OBJECT

public:
    TrayController(ConsoleContext &context, MainWindow &window, QObject *parent = nullptr);
    ~TrayController() override;

    bool isActive() const { return m_tray != nullptr; }
    /// The tray icon, for notifications; null where there is no tray.
    QSystemTrayIcon *icon() const { return m_tray; }
    /// The menu, also where there is no tray (tests drive it directly).
    QMenu *menu() const { return m_menu; }

signals:
    void quitRequested();

private:
    void refresh();
    void reloadAccounts();
    void toggleWindow();
    void copyBaseUrl();

    ConsoleContext &m_context;
    MainWindow &m_window;
    QMenu *m_menu = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QAction *m_state = nullptr;
    QAction *m_today = nullptr;
    QAction *m_pool = nullptr;
    QList<Core::AccountRecord> m_accounts;
    QHash<qint64, Proxy::AccountRuntimeStatus> m_accountStatus;
    QAction *m_showHide = nullptr;
    QAction *m_copyUrl = nullptr;
    QAction *m_startStop = nullptr;
    bool m_toldAboutTray = false;
};

} // namespace Console
