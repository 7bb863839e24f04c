// SPDX-License-Identifier: MIT
#pragma once

#include <QModelIndex>
#include <QString>

class QAbstractItemView;
class QComboBox;

namespace Console {

class MainWindow;

/// Selections made as a user makes them, for GUI tests: a mouse click on the row or the page, keys
/// in an open combo box popup. Setting the current index in code takes another path through the
/// views (a click makes the row current before it selects it) and hid a bug (issue 13).
namespace UserInput {

/// Scrolls @p index into view and left-clicks its cell; true when its row is then selected.
bool clickRow(QAbstractItemView &view, const QModelIndex &index);
/// Opens @p combo with a click, walks to item @p index with the arrow keys and presses Return;
/// true when the combo box then shows that item.
bool chooseItem(QComboBox &combo, int index);
/// Clicks page @p id in the window's navigation list; true when that page is then shown.
bool openPage(MainWindow &window, const QString &id);

} // namespace UserInput

} // namespace Console
