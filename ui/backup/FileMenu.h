// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>

class QAction;
class QMainWindow;

namespace Console {

class MessageBanner;

/// The console's File menu: Back up… (written in place, while the proxy runs), Restore… and
/// Quit. Restore checks the whole file and its passphrase here, then hands over to
/// `keygate restore` with the exact command: a restore replaces the database this console has
/// open, so it runs only after the console has quit (serve and the console hold the data dir's
/// lock; restore refuses while they run). Results go to the window's banner. GUI thread.
class FileMenu final : public QObject
{
    Q_OBJECT

public:
    FileMenu(ConsoleContext &context, QMainWindow &window, MessageBanner &banner);

    void backUp();
    void restore();

private:
    ConsoleContext &m_context;
    QMainWindow &m_window;
    MessageBanner &m_banner;
};

} // namespace Console
