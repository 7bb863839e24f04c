// SPDX-License-Identifier: MIT
// Tab walks every control of each page, the status bar's "Stop proxy" button included, and comes
// back to where it started (issue 13: once in a table, Tab walked its cells forever).
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyService.h"

#include <QApplication>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace Console;

namespace {

QString nameOf(const QWidget *widget)
{
    return widget ? QString::fromLatin1(widget->metaObject()->className()) + u' ' + widget->objectName()
                  : QStringLiteral("nothing");
}

/// Whether Tab can give @p widget the focus now.
bool takesTab(const QWidget *widget)
{
    return (widget->focusPolicy() & Qt::TabFocus) == Qt::TabFocus && widget->isVisible() &&
           widget->isEnabled() && !widget->focusProxy();
}

/// The controls of @p page Tab must reach, in focus-chain order.
QList<QWidget *> controlsOf(QWidget *page)
{
    QList<QWidget *> controls;
    for (QWidget *widget = page->nextInFocusChain(); widget != page; widget = widget->nextInFocusChain())
        if (page->isAncestorOf(widget) && takesTab(widget) && !controls.contains(widget))
            controls << widget;
    return controls;
}

} // namespace

class tst_TabCycle final : public QObject
{
    Q_OBJECT

private slots:
    void tab_fromFirstControl_visitsEveryControlAndComesBack_data()
    {
        QTest::addColumn<QString>("page");
        for (const char *page : {"overview", "keys", "usage", "trace", "accounts", "upstream", "settings"})
            QTest::newRow(page) << QString::fromLatin1(page);
    }

    void tab_fromFirstControl_visitsEveryControlAndComesBack()
    {
        QFETCH(QString, page);
        ConsoleHarness console;
        QVERIFY(console.start());
        MainWindow &window = console.window();
        QVERIFY(Core::KeyService(console.runtime().database(), console.runtime().secrets())
                    .create(QStringLiteral("tabbed"))
                    .ok());
        console.runtime().publishKeys();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(UserInput::openPage(window, page));
        if (auto *keys = window.page(page)->findChild<QTableView *>(QStringLiteral("keyTable"))) {
            QTRY_COMPARE(keys->model()->rowCount(), 1);
            QVERIFY(UserInput::clickRow(*keys, keys->model()->index(0, 0))); // the key actions come alive
        }

        QList<QWidget *> expected = controlsOf(window.page(page));
        QVERIFY2(!expected.isEmpty(), qPrintable(page));
        auto *stopProxy = console.find<QPushButton>(QStringLiteral("proxyToggle"));
        QCOMPARE(stopProxy->text(), QStringLiteral("Stop proxy"));
        expected << stopProxy;
        QWidget *start = expected.constFirst();
        start->setFocus(Qt::TabFocusReason);
        QCOMPARE(QApplication::focusWidget(), start);

        QList<QWidget *> visited{start};
        bool cameBack = false;
        // Every control once, plus the navigation and a banner's buttons: a trap stays far below this.
        const int limit = int(expected.size()) * 2 + 10;
        for (int press = 0; press < limit && !cameBack; ++press) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QWidget *now = QApplication::focusWidget();
            cameBack = now == start && visited.size() > 1; // staying put on the start is no way round
            if (now != start)
                visited << now;
        }
        QStringList walk;
        for (const QWidget *widget : std::as_const(visited))
            walk << nameOf(widget);
        QVERIFY2(cameBack, qPrintable(QStringLiteral("Tab never came back; walked: ") + walk.join(u", ")));
        for (QWidget *control : std::as_const(expected))
            QVERIFY2(
                visited.contains(control),
                qPrintable(nameOf(control) + QStringLiteral(" not reached; walked: ") + walk.join(u", ")));
    }
};

QTEST_MAIN(tst_TabCycle)
#include "tst_tabcycle.moc"
