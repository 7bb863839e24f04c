// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QHash>
#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace Console {

class MessageBanner;

/// The console's shell: page navigation on the left, the current page, a window-wide banner for
/// proxy problems and the status bar. Pages do the work; this only hosts them. GUI thread.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(ConsoleContext &context, QWidget *parent = nullptr);

    /// Appends a page; Ctrl+1… selects pages in the order added.
    void addPage(const QString &id, const QString &title, const QIcon &icon, QWidget *page);
    /// Takes page @p id out of the navigation and deletes it; the pages after it move up a shortcut.
    void removePage(const QString &id);
    void showPage(const QString &id);
    QWidget *page(const QString &id) const { return m_pages.value(id); }
    QString currentPageId() const;
    QStringList pageIds() const { return m_order; }

    /// When set (a tray icon exists), closing the window hides it instead of quitting.
    void setHideOnClose(bool hide) { m_hideOnClose = hide; }
    /// Shows, restores and raises the window (second launch, tray click).
    void bringToFront();

    MessageBanner &banner() const { return *m_banner; }

signals:
    /// The window was closed and hidden because the proxy keeps running in the tray.
    void hiddenToTray();

protected:
    void closeEvent(QCloseEvent *event) override;
    /// A page's windowModified (unsaved edits) marks its sidebar entry.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    ConsoleContext &m_context;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_stack = nullptr;
    MessageBanner *m_banner = nullptr;
    QHash<QString, QWidget *> m_pages;
    QStringList m_order;
    bool m_hideOnClose = false;
};

} // namespace Console
