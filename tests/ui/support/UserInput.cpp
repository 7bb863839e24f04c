// SPDX-License-Identifier: MIT
#include "tests/ui/support/UserInput.h"

#include "ui/shell/MainWindow.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QListWidget>
#include <QTest>

namespace Console::UserInput {

bool clickRow(QAbstractItemView &view, const QModelIndex &index)
{
    if (!index.isValid() || !view.isVisible())
        return false;
    view.scrollTo(index);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.visualRect(index).center());
    return view.selectionModel()->isSelected(index);
}

bool chooseItem(QComboBox &combo, int index)
{
    if (index < 0 || index >= combo.count() || !combo.isVisible())
        return false;
    QTest::mouseClick(&combo, Qt::LeftButton);
    QAbstractItemView *popup = combo.view();
    if (!QTest::qWaitFor([popup] { return popup->isVisible(); }, 2000))
        return false;
    // Keys, not a click, in the popup: it ignores a click that comes sooner than a double-click
    // interval after it opened.
    const int from = popup->currentIndex().row();
    for (int step = 0; step < qAbs(index - from); ++step)
        QTest::keyClick(popup, index > from ? Qt::Key_Down : Qt::Key_Up);
    QTest::keyClick(popup, Qt::Key_Return);
    return !popup->isVisible() && combo.currentIndex() == index;
}

bool openPage(MainWindow &window, const QString &id)
{
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    const qsizetype row = window.pageIds().indexOf(id);
    if (!navigation || row < 0 || !clickRow(*navigation, navigation->model()->index(int(row), 0)))
        return false;
    return window.currentPageId() == id;
}

} // namespace Console::UserInput
