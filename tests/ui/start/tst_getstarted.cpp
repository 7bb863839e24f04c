// SPDX-License-Identifier: MIT
// Get started, driven as a new user drives it from an empty data directory: each step through its
// own button and the page's real dialog, a real request through the proxy, and the dismissal that
// outlives the window.
#include "tests/ui/start/FirstRunDriver.h"
#include "tests/ui/support/UserInput.h"

#include "ui/shell/ConsoleWindow.h"

#include <QDialog>
#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace Console;
using namespace Console::FirstRun;

class tst_GetStarted final : public QObject
{
    Q_OBJECT

private slots:
    void checklist_emptyDataDir_eachStepTicksUpToARealRequest()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        MainWindow &window = console.window();
        QCOMPARE(window.pageIds().constFirst(), QStringLiteral("start"));
        QCOMPARE(window.currentPageId(), QStringLiteral("start"));
        for (const char *step : {"startAccount", "startKey", "startClient", "startRequest"})
            QCOMPARE(mark(window, QLatin1String(step)), QStringLiteral("To do"));

        expectAccountDialog(console);
        QVERIFY(click(window, QStringLiteral("startAddOpenAI")));
        QTRY_COMPARE(mark(window, QStringLiteral("startAccount")), QStringLiteral("Done"));
        QCOMPARE(mark(window, QStringLiteral("startKey")), QStringLiteral("To do"));
        QCOMPARE(window.currentPageId(), QStringLiteral("start")); // the user stays on the checklist

        QString key;
        expectKeyDialogs(console, QStringLiteral("laptop"), key);
        QVERIFY(click(window, QStringLiteral("startCreateKey")));
        QTRY_COMPARE(mark(window, QStringLiteral("startKey")), QStringLiteral("Done"));
        QVERIFY2(key.startsWith(QLatin1String("sk-kg-")), qPrintable(key));

        QString firstTab;
        console.dialogs().onNextDialog([&firstTab](QDialog &dialog) {
            const auto *tabs = dialog.findChild<QTabWidget *>(QStringLiteral("clientTabs"));
            firstTab = tabs && tabs->currentIndex() == 0 ? tabs->widget(0)->objectName() : QString();
            dialog.reject();
            return dialog.result();
        });
        QVERIFY(click(window, QStringLiteral("startConnectClient")));
        QTRY_COMPARE(mark(window, QStringLiteral("startClient")), QStringLiteral("Done"));
        QCOMPARE(firstTab, QStringLiteral("piTab"));
        QCOMPARE(mark(window, QStringLiteral("startRequest")), QStringLiteral("To do"));

        // A request the proxy refuses does not count; the step says what happened.
        QCOMPARE(console.postResponses(bearer(QStringLiteral("sk-kg-not-a-key"))).status, 401);
        QTRY_VERIFY2(detail(window, QStringLiteral("startRequest")).contains(QLatin1String("401")),
                     qPrintable(detail(window, QStringLiteral("startRequest"))));
        QCOMPARE(mark(window, QStringLiteral("startRequest")), QStringLiteral("To do"));

        const ConsoleHarness::Response answered = console.postResponses(bearer(key));
        QCOMPARE(answered.status, 200);
        QTRY_COMPARE(mark(window, QStringLiteral("startRequest")), QStringLiteral("Done"));
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("startSummary"))->text().isEmpty());
        QCOMPARE(console.dialogs().unexpected(), QStringList());

        // Everything done: the next window opens on the Overview, without the checklist.
        const std::unique_ptr<MainWindow> next = createConsoleWindow(console.context());
        QVERIFY(!next->pageIds().contains(QStringLiteral("start")));
        QCOMPARE(next->currentPageId(), QStringLiteral("overview"));
    }

    void clientStep_snippetsOpenedOnKeysPage_ticks()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        MainWindow &window = console.window();
        QString key;
        expectKeyDialogs(console, QStringLiteral("laptop"), key);
        QVERIFY(click(window, QStringLiteral("startCreateKey")));
        QTRY_COMPARE(mark(window, QStringLiteral("startKey")), QStringLiteral("Done"));

        QVERIFY(UserInput::openPage(window, QStringLiteral("keys")));
        auto *table = console.find<QTableView>(QStringLiteral("keyTable"));
        QVERIFY(UserInput::clickRow(*table, table->model()->index(0, 0)));
        console.dialogs().onNextDialog([](QDialog &dialog) {
            dialog.reject();
            return dialog.result();
        });
        QTest::mouseClick(console.find<QToolButton>(QStringLiteral("connectClientButton")), Qt::LeftButton);
        QCOMPARE(console.dialogs().dialogTitles().constLast(),
                 QStringLiteral("Connect a client with \"laptop\""));
        QCOMPARE(mark(window, QStringLiteral("startClient")), QStringLiteral("Done"));
        QCOMPARE(mark(window, QStringLiteral("startRequest")), QStringLiteral("To do"));
    }

    void checklist_accountFlowFails_showsAccountsPageWithTheReason()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        expectAccountDialog(console);
        QVERIFY(click(console.window(), QStringLiteral("startAddOpenAI")));
        QTRY_COMPARE(mark(console.window(), QStringLiteral("startAccount")), QStringLiteral("Done"));
        expectAccountDialog(console); // the same name again: the Accounts page refuses it
        QVERIFY(click(console.window(), QStringLiteral("startAddOpenAI")));
        QCOMPARE(console.window().currentPageId(), QStringLiteral("accounts"));
        const auto *banner = console.find<QWidget>(QStringLiteral("accountsBanner"));
        QVERIFY(banner && banner->isVisible());
    }

    void dismiss_click_removesChecklistAlsoFromTheNextWindow()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        QCOMPARE(console.window().currentPageId(), QStringLiteral("start"));
        QVERIFY(click(console.window(), QStringLiteral("startDismiss")));
        QTRY_VERIFY(!console.window().pageIds().contains(QStringLiteral("start")));
        QCOMPARE(console.window().currentPageId(), QStringLiteral("overview"));
        QTRY_VERIFY(!console.find<QWidget>(QStringLiteral("startPage")));
        // Ctrl+1 follows the sidebar as it is now.
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("usage")));
        QTest::keyClick(&console.window(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(console.window().currentPageId(), QStringLiteral("overview"));

        // Nothing is set up, yet the checklist stays hidden: the dismissal was stored.
        const std::unique_ptr<MainWindow> next = createConsoleWindow(console.context());
        QVERIFY(!next->pageIds().contains(QStringLiteral("start")));
        QCOMPARE(next->currentPageId(), QStringLiteral("overview"));
    }
};

QTEST_MAIN(tst_GetStarted)
#include "tst_getstarted.moc"
