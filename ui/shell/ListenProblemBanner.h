// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>

namespace Console {

class MessageBanner;

/// Turns a proxy start failure into a visible banner. When the port is taken, the banner names it
/// and offers another port (saved as the `listen` setting) with a one-click restart. GUI thread.
class ListenProblemBanner final : public QObject
{
    Q_OBJECT

public:
    ListenProblemBanner(ConsoleContext &context, MessageBanner &banner);

private:
    void showFailure(const QString &message);
    void startOnPort(int port);

    ConsoleContext &m_context;
    MessageBanner &m_banner;
};

} // namespace Console
