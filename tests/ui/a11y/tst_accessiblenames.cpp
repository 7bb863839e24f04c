// SPDX-License-Identifier: MIT
// Every interactive control of every page and of the main dialogs has a name a screen reader can
// speak, read through QAccessible as assistive technology reads it (issue 13). The walk fails
// naming each control without one, and each icon-only button without a description.
#include "tests/ui/keys/KeysPageDriver.h"
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>

using namespace Console;

namespace {

bool isInteractive(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::List:
    case QAccessible::PageTab:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::ButtonDropGrid:
        return true;
    default:
        return false;
    }
}

QWidget *widgetOf(QAccessibleInterface *control)
{
    return qobject_cast<QWidget *>(control->object());
}

/// A name as AT-SPI gets it: the accessible name, the text Qt exposes as the name (a button's
/// label), or a buddy label (a Label relation). A combo box's "name" on Linux is its current
/// value, which names nothing: it needs an accessible name or a label.
bool isNamed(QAccessibleInterface *control)
{
    if (QWidget *widget = widgetOf(control); widget && !widget->accessibleName().trimmed().isEmpty())
        return true;
    if (!control->relations(QAccessible::Label).isEmpty())
        return true;
    return control->role() != QAccessible::ComboBox && !control->text(QAccessible::Name).trimmed().isEmpty();
}

/// A button that shows only an icon says what it does in its description (or tooltip).
bool isDescribedIfIconOnly(QAccessibleInterface *control)
{
    const auto *button = qobject_cast<QAbstractButton *>(control->object());
    if (!button || !button->text().isEmpty() || button->icon().isNull())
        return true;
    return !control->text(QAccessible::Description).trimmed().isEmpty();
}

QString describe(QAccessibleInterface *control)
{
    QStringList path;
    for (QObject *object = control->object(); object; object = object->parent())
        if (!object->objectName().isEmpty())
            path.prepend(object->objectName());
    return QStringLiteral("%1 (role 0x%2) at %3")
        .arg(QString::fromLatin1(control->object() ? control->object()->metaObject()->className() : "?"))
        .arg(int(control->role()), 0, 16)
        .arg(path.join(u'/'));
}

/// Walks the visible accessible tree under @p node; appends each unnamed or undescribed control.
void walk(QAccessibleInterface *node, QStringList &problems, int depth = 0)
{
    if (!node || depth > 60 || node->state().invisible)
        return;
    const QAccessible::Role role = node->role();
    if (isInteractive(role)) {
        if (!isNamed(node))
            problems << QStringLiteral("no name: ") + describe(node);
        else if (!isDescribedIfIconOnly(node))
            problems << QStringLiteral("icon only, no description: ") + describe(node);
    }
    // A view's items and cells speak their model's text; a combo box's popup is its own window.
    if (role == QAccessible::Table || role == QAccessible::Tree || role == QAccessible::List ||
        role == QAccessible::ComboBox)
        return;
    for (int i = 0; i < node->childCount(); ++i)
        walk(node->child(i), problems, depth + 1);
}

QStringList problemsIn(QWidget *root)
{
    QStringList problems;
    walk(QAccessible::queryAccessibleInterface(root), problems);
    return problems;
}

/// Walks @p dialog once per tab page of each tab widget in it, so hidden tabs are walked too.
QStringList problemsInDialog(QDialog &dialog)
{
    QStringList problems = problemsIn(&dialog);
    for (QTabWidget *tabs : dialog.findChildren<QTabWidget *>()) {
        for (int tab = 1; tab < tabs->count(); ++tab) {
            // Opened as a user opens it: a click on the tab.
            QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(tab).center());
            if (tabs->currentIndex() != tab) {
                problems << QStringLiteral("tab %1 of %2 did not open on a click").arg(tab).arg(tabs->objectName());
                continue;
            }
            problems << problemsIn(tabs->currentWidget());
        }
    }
    problems.removeDuplicates();
    return problems;
}

} // namespace

class tst_AccessibleNames final : public QObject
{
    Q_OBJECT

private slots:
    void walk_everyPage_namesEveryControl_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<bool>("emptyDataDir");
        QTest::newRow("start") << QStringLiteral("start") << true;
        for (const char *page : {"overview", "keys", "usage", "trace", "accounts", "upstream", "settings"})
            QTest::newRow(page) << QString::fromLatin1(page) << false;
    }

    void walk_everyPage_namesEveryControl()
    {
        QFETCH(QString, page);
        QFETCH(bool, emptyDataDir);
        ConsoleHarness console(QStringLiteral("keychain"), emptyDataDir ? ConsoleHarness::DataDir::Empty
                                                                          : ConsoleHarness::DataDir::Configured);
        QVERIFY(console.start());
        if (!emptyDataDir) {
            KeysPageDriver keys(console);
            QVERIFY(!keys.createKey(QStringLiteral("spoken")).plaintext.isEmpty());
            QVERIFY(keys.select(QStringLiteral("spoken"))); // the key actions and the limits box come alive
        }
        QVERIFY(UserInput::openPage(console.window(), page));
        // The window around the page too: navigation, banner, status bar.
        const QStringList problems = problemsIn(&console.window());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void walk_mainDialogs_namesEveryControl_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("button");
        QTest::newRow("new key") << QStringLiteral("keys") << QStringLiteral("newKeyButton");
        QTest::newRow("key edit") << QStringLiteral("keys") << QStringLiteral("editKeyButton");
        QTest::newRow("connect client") << QStringLiteral("keys") << QStringLiteral("connectClientButton");
        QTest::newRow("OpenAI account") << QStringLiteral("accounts") << QStringLiteral("accountsAddOpenAI");
    }

    void walk_mainDialogs_namesEveryControl()
    {
        QFETCH(QString, page);
        QFETCH(QString, button);
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QVERIFY(!keys.createKey(QStringLiteral("spoken")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("spoken")));
        QStringList problems;
        QString title;
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            title = dialog.windowTitle();
            problems = problemsInDialog(dialog);
            dialog.reject();
            return dialog.result();
        });
        QVERIFY(UserInput::openPage(console.window(), page));
        auto *control = console.window().page(page)->findChild<QAbstractButton *>(button);
        QVERIFY2(control, qPrintable(button));
        QTest::mouseClick(control, Qt::LeftButton);
        QVERIFY2(!title.isEmpty(), "no dialog opened");
        QVERIFY2(problems.isEmpty(), qPrintable(title + u'\n' + problems.join(u'\n')));
        QVERIFY(console.dialogs().unexpected().isEmpty());
    }

    void walk_secretDialog_namesEveryControl()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QStringList problems;
        console.dialogs().onNextDialog([&](QDialog &dialog) { // the new key dialog: a name, then OK
            QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyNameEdit")), QStringLiteral("spoken"));
            QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk")), Qt::LeftButton);
            return dialog.result();
        });
        console.dialogs().onNextDialog([&](QDialog &dialog) { // the one-time secret
            problems = problemsInDialog(dialog);
            problems.prepend(dialog.windowTitle());
            dialog.accept();
            return dialog.result();
        });
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("keys")));
        keys.click(QStringLiteral("newKeyButton"));
        QVERIFY2(problems.size() == 1, qPrintable(problems.join(u'\n'))); // the title alone
    }
};

QTEST_MAIN(tst_AccessibleNames)
#include "tst_accessiblenames.moc"
