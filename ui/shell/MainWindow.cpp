// SPDX-License-Identifier: MIT
#include "ui/shell/MainWindow.h"

#include "ui/backup/FileMenu.h"
#include "ui/common/MessageBanner.h"
#include "ui/diagnostics/HelpMenu.h"
#include "ui/shell/ListenProblemBanner.h"
#include "ui/shell/ProxyStatusBar.h"
#include "ui/shell/SecretsNotice.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace Console {

namespace {
constexpr int TitleRole = Qt::UserRole; // a navigation item's page title, without markers
}

MainWindow::MainWindow(ConsoleContext &context, QWidget *parent) : QMainWindow(parent), m_context(context)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Keygate"));
    m_navigation = new QListWidget;
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setAccessibleName(tr("Pages"));
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_navigation->setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("M")) * 13);
    m_stack = new QStackedWidget;
    m_stack->setObjectName(QStringLiteral("pages"));
    m_banner = new MessageBanner;
    m_banner->setObjectName(QStringLiteral("windowBanner"));

    auto *right = new QVBoxLayout;
    right->setContentsMargins(0, 0, 0, 0);
    right->addWidget(m_banner);
    right->addWidget(m_stack, 1);
    auto *central = new QWidget;
    auto *layout = new QHBoxLayout(central);
    layout->addWidget(m_navigation);
    layout->addLayout(right, 1);
    setCentralWidget(central);
    connect(m_navigation, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    new ProxyStatusBar(context, *statusBar());
    new ListenProblemBanner(context, *m_banner);
    new SecretsNotice(context.secretStatus, *m_banner);
    new FileMenu(context, *this, *m_banner);
    new HelpMenu(context, *this);
    // Fits a 1366×768 screen with room for panels; scales with the font on HiDPI.
    const int unit = fontMetrics().height();
    resize(qMax(1100, unit * 62), qMax(680, unit * 38));
}

void MainWindow::addPage(const QString &id, const QString &title, const QIcon &icon, QWidget *page)
{
    page->setObjectName(id + QStringLiteral("Page"));
    m_pages.insert(id, page);
    m_order.append(id);
    auto *item = new QListWidgetItem(icon, title, m_navigation);
    item->setData(TitleRole, title);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(title).arg(m_order.size()));
    m_stack->addWidget(page);
    page->installEventFilter(this);
    if (m_order.size() <= 9) {
        auto *shortcut = new QShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(m_order.size())), this);
        // By position, not id: a removed page moves the ones after it up.
        connect(shortcut, &QShortcut::activated, this,
                [this, position = m_order.size()] { showPage(m_order.value(position - 1)); });
    }
    if (m_navigation->currentRow() < 0)
        m_navigation->setCurrentRow(0);
}

void MainWindow::removePage(const QString &id)
{
    const qsizetype index = m_order.indexOf(id);
    if (index < 0)
        return;
    QWidget *page = m_pages.take(id);
    m_order.removeAt(index);
    m_stack->removeWidget(page);
    delete m_navigation->takeItem(int(index));
    m_stack->setCurrentIndex(m_navigation->currentRow());
    for (int row = int(index); row < m_navigation->count(); ++row)
        m_navigation->item(row)->setToolTip(
            tr("%1 (Ctrl+%2)").arg(m_navigation->item(row)->text()).arg(row + 1));
    page->deleteLater();
}

void MainWindow::showPage(const QString &id)
{
    const qsizetype index = m_order.indexOf(id);
    if (index >= 0)
        m_navigation->setCurrentRow(int(index));
}

QString MainWindow::currentPageId() const
{
    const int row = m_navigation->currentRow();
    return row >= 0 && row < m_order.size() ? m_order.at(row) : QString();
}

void MainWindow::bringToFront()
{
    if (isMinimized())
        setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    activateWindow();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ModifiedChange) {
        auto *page = static_cast<QWidget *>(watched);
        const int row = int(m_order.indexOf(m_pages.key(page)));
        if (QListWidgetItem *item = m_navigation->item(row)) {
            const QString title = item->data(TitleRole).toString();
            const bool modified = page->isWindowModified();
            item->setText(modified ? tr("%1 \u2022").arg(title) : title);
            item->setData(Qt::AccessibleTextRole, modified ? tr("%1, unsaved changes").arg(title) : title);
            item->setToolTip(modified ? tr("%1 (Ctrl+%2): unsaved changes").arg(title).arg(row + 1)
                                      : tr("%1 (Ctrl+%2)").arg(title).arg(row + 1));
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_hideOnClose) {
        hide();
        event->ignore();
        emit hiddenToTray();
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace Console
