// SPDX-License-Identifier: MIT
#include "ui/tray/TrayController.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/AccountRepository.h"
#include "ui/accounts/AccountStatusText.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/ProxyStatusBar.h"
#include "ui/shell/RequestRateMeter.h"

#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QStyle>
#include <QSystemTrayIcon>

#include <utility>

namespace Console {

TrayController::TrayController(ConsoleContext &context, MainWindow &window, QObject *parent)
    : QObject(parent), m_context(context), m_window(window)
{
    m_menu = new QMenu;
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_state = m_menu->addAction(QString());
    m_state->setEnabled(false);
    m_today = m_menu->addAction(QString());
    m_today->setEnabled(false);
    m_pool = m_menu->addAction(QString());
    m_pool->setEnabled(false);
    m_menu->addSeparator();
    m_showHide = m_menu->addAction(tr("Show window"), this, &TrayController::toggleWindow);
    m_copyUrl = m_menu->addAction(tr("Copy base URL"), this, &TrayController::copyBaseUrl);
    m_startStop = m_menu->addAction(QString(), this, [this] { ProxyStatusBar::toggle(m_context.runtime); });
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit Keygate"), this, &TrayController::quitRequested);

    connect(&context.runtime, &Core::ProxyRuntime::stateChanged, this, &TrayController::refresh);
    connect(&context.requestRate, &RequestRateMeter::updated, this, &TrayController::refresh);
    connect(m_menu, &QMenu::aboutToShow, this, &TrayController::refresh);
    connect(&context.runtime, &Core::ProxyRuntime::configChanged, this, &TrayController::reloadAccounts);
    connect(&context.runtime, &Core::ProxyRuntime::accountStatusChanged, this,
            [this](const QList<Proxy::AccountRuntimeStatus> &statuses) {
                for (const Proxy::AccountRuntimeStatus &status : statuses)
                    m_accountStatus.insert(status.id, status);
                refresh();
            });
    reloadAccounts();

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon().isNull()
                                         ? window.style()->standardIcon(QStyle::SP_ComputerIcon)
                                         : QApplication::windowIcon(),
                                     this);
        m_tray->setContextMenu(m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger)
                toggleWindow();
        });
        m_tray->show();
        window.setHideOnClose(true);
        connect(&window, &MainWindow::hiddenToTray, this, [this] {
            if (std::exchange(m_toldAboutTray, true))
                return;
            m_tray->showMessage(tr("Keygate is still running"),
                                tr("The proxy keeps serving your clients. Quit from the tray menu."));
        });
    }
    refresh();
}

TrayController::~TrayController()
{
    delete m_menu;
}

void TrayController::refresh()
{
    const QString state = ProxyStatusBar::stateText(m_context.runtime);
    const bool running = ProxyStatusBar::isRunning(m_context.runtime);
    m_state->setText(state);
    m_today->setText(tr("%1 requests today").arg(m_context.requestRate.today()));
    m_pool->setText(tr("Pool: %1").arg(AccountStatusText::pool(m_accounts, m_accountStatus.values(),
                                                                QDateTime::currentDateTimeUtc())));
    m_startStop->setText(running ? tr("Stop proxy") : tr("Start proxy"));
    m_copyUrl->setEnabled(m_context.runtime.state() == Core::ProxyRuntime::State::Listening);
    m_showHide->setText(m_window.isVisible() ? tr("Hide window") : tr("Show window"));
    if (m_tray)
        m_tray->setToolTip(QStringLiteral("Keygate — %1\n%2\n%3").arg(state, m_today->text(), m_pool->text()));
}

void TrayController::reloadAccounts()
{
    // On configuration changes only (the CLI or a page changed accounts), never per request.
    const auto accounts = Core::AccountRepository(m_context.runtime.database().connection()).list();
    if (accounts)
        m_accounts = accounts.value();
    refresh();
}

void TrayController::toggleWindow()
{
    if (m_window.isVisible() && !m_window.isMinimized())
        m_window.hide();
    else
        m_window.bringToFront();
    refresh();
}

void TrayController::copyBaseUrl()
{
    QApplication::clipboard()->setText(QStringLiteral("http://%1/v1").arg(m_context.runtime.stateDetail()));
}

} // namespace Console
