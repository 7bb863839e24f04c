// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QStringList>

namespace Console {
class MainWindow;
}

namespace Gui {

/// Saves a PNG of every page into a directory and then quits: the console's own screenshots for the
/// README and the AppStream metadata (packaging/screenshots.sh sets KEYGATE_SCREENSHOTS=DIR).
/// GUI thread.
class ScreenshotTour final : public QObject
{
    Q_OBJECT

public:
    ScreenshotTour(Console::MainWindow &window, QString directory, QStringList pageIds, QObject *parent = nullptr);

    /// Waits @p settleMs for live data to arrive, then takes one page after another.
    void start(int settleMs);

signals:
    void finished(bool ok);

private:
    void takeNext();

    Console::MainWindow &m_window;
    QString m_directory;
    QStringList m_pageIds;
    int m_next = 0;
    bool m_ok = true;
};

} // namespace Gui
