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

private:
    void showProxyState();
    void showSecretState();
    void toggleProxy();

    ConsoleContext &m_context;
    QLabel *m_proxyState = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_secrets = nullptr;
    QPushButton *m_toggle = nullptr;
};

} // namespace Console
