// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>

namespace Console {

class MessageBanner;

/// Turns a proxy start failure into a visible banner. When the port is taken, the banner names it
/// and offers another port with a one-click start there (ProxyRuntime::moveListener); the port is
/// saved as the `listen` setting only once the proxy listens on it. GUI thread.
class ListenProblemBanner final : public QObject
{
    Q_OBJECT

public:
    ListenProblemBanner(ConsoleContext &context, MessageBanner &banner);

private:
    void showFailure(const QString &message);
    void startOnPort(int port);
    void saveListen(const QString &hostPort);

    ConsoleContext &m_context;
    MessageBanner &m_banner;
    bool m_moving = false; ///< a start this banner asked for is under way
};

} // namespace Console
