// SPDX-License-Identifier: MIT
#include "app/gui/ScreenshotTour.h"

#include "app/cli/CliOutput.h"
#include "ui/shell/MainWindow.h"

#include <QDir>
#include <QPixmap>
#include <QTimer>

namespace Gui {

namespace {
constexpr int PageSettleMs = 600; // models coalesce every 250 ms; charts animate briefly
}

ScreenshotTour::ScreenshotTour(Console::MainWindow &window, QString directory, QStringList pageIds, QObject *parent)
    : QObject(parent), m_window(window), m_directory(std::move(directory)), m_pageIds(std::move(pageIds))
{
}

void ScreenshotTour::start(int settleMs)
{
    QDir().mkpath(m_directory);
    QTimer::singleShot(settleMs, this, [this] {
        if (!m_pageIds.isEmpty())
            m_window.showPage(m_pageIds.constFirst());
        QTimer::singleShot(PageSettleMs, this, &ScreenshotTour::takeNext);
    });
}

void ScreenshotTour::takeNext()
{
    if (m_next >= m_pageIds.size()) {
        emit finished(m_ok);
        return;
    }
    const QString id = m_pageIds.at(m_next++);
    // Numbered from 00: the Overview is 00-overview.png, the pages after it keep 01-keys … 06-settings.
    const QString path =
        QDir(m_directory).filePath(QStringLiteral("%1-%2.png").arg(m_next - 1, 2, 10, QLatin1Char('0')).arg(id));
    if (m_window.grab().save(path))
        Core::Cli::note(QStringLiteral("saved ") + path);
    else {
        Core::Cli::fail(QStringLiteral("could not save ") + path);
        m_ok = false;
    }
    if (m_next < m_pageIds.size())
        m_window.showPage(m_pageIds.at(m_next));
    QTimer::singleShot(PageSettleMs, this, &ScreenshotTour::takeNext);
}

} // namespace Gui
