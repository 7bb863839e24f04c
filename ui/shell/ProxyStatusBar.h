// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>

class QLabel;
class QPushButton;
class QStatusBar;

namespace Console {

/// Fills the main window's status bar: proxy state, requests per second, secret-store state and
/// the start/stop button. GUI thread.
class ProxyStatusBar final : public QObject
{
    Q_OBJECT

public:
    ProxyStatusBar(ConsoleContext &context, QStatusBar &bar);

    /// "Listening on http://127.0.0.1:2455", "Proxy stopped", "Proxy error: …" (also the tray's words).
    static QString stateText(const Core::ProxyRuntime &runtime);
    static bool isRunning(const Core::ProxyRuntime &runtime);
    /// Stops a running proxy (letting streams finish briefly) or starts a stopped one.
    static void toggle(Core::ProxyRuntime &runtime);

private:
    void showProxyState();
    void showSecretState();

    ConsoleContext &m_context;
    QLabel *m_proxyState = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_secrets = nullptr;
    QPushButton *m_toggle = nullptr;
};

} // namespace Console
