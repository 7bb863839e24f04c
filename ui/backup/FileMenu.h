// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>

class QAction;
class QMainWindow;

namespace Console {

class MessageBanner;

/// The console's File menu: Back up… (written in place, while the proxy runs), Restore… and
/// Quit. Restore checks the whole file and its passphrase here and, once the user confirms, hands
/// the verified backup to ConsoleContext::restoreRequested: the restore replaces the database this
/// console has open, so its owner closes the session first and reopens on the restored data.
/// Results go to the window's banner. GUI thread.
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
