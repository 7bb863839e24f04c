// SPDX-License-Identifier: MIT
// The tray menu (driven directly: the offscreen platform has no system tray) and hide-on-close.
#include "tests/ui/support/ConsoleHarness.h"
#include "ui/tray/TrayController.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace Console;

namespace {

QAction *actionStartingWith(QMenu *menu, const QString &prefix)
{
    const QList<QAction *> actions = menu->actions();
    for (QAction *action : actions)
        if (action->text().startsWith(prefix))
            return action;
    return nullptr;
}

} // namespace

class tst_Tray final : public QObject
{
    Q_OBJECT

private slots:
    void menuShowsStateAndRequestsToday()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        TrayController tray(console.context(), console.window());
        emit tray.menu()->aboutToShow();
        QVERIFY(actionStartingWith(tray.menu(), QStringLiteral("Listening on http://127.0.0.1:%1").arg(console.port())));
        QVERIFY(actionStartingWith(tray.menu(), QStringLiteral("0 requests today")));
        QVERIFY(actionStartingWith(tray.menu(), QStringLiteral("Pool: 1 of 1 accounts available")));
        QCOMPARE(console.postResponses({}).status, 401); // counted too: every request is a request
        QTRY_VERIFY_WITH_TIMEOUT(actionStartingWith(tray.menu(), QStringLiteral("1 requests today")), 2000);
    }

    void copyBaseUrlAndStartStop()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        TrayController tray(console.context(), console.window());
        actionStartingWith(tray.menu(), QStringLiteral("Copy base URL"))->trigger();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("http://127.0.0.1:%1/v1").arg(console.port()));
        actionStartingWith(tray.menu(), QStringLiteral("Stop proxy"))->trigger();
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Stopped);
        QVERIFY(actionStartingWith(tray.menu(), QStringLiteral("Proxy stopped")));
        actionStartingWith(tray.menu(), QStringLiteral("Start proxy"))->trigger();
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Listening);
    }

    void showHideAndQuit()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        TrayController tray(console.context(), console.window());
        emit tray.menu()->aboutToShow();
        actionStartingWith(tray.menu(), QStringLiteral("Hide window"))->trigger();
        QVERIFY(!console.window().isVisible());
        actionStartingWith(tray.menu(), QStringLiteral("Show window"))->trigger();
        QVERIFY(console.window().isVisible());
        QSignalSpy quit(&tray, &TrayController::quitRequested);
        actionStartingWith(tray.menu(), QStringLiteral("Quit Keygate"))->trigger();
        QCOMPARE(quit.size(), 1);
    }

    void closingHidesToTrayWhenATrayExists()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QSignalSpy hidden(&console.window(), &MainWindow::hiddenToTray);
        console.window().setHideOnClose(true);
        QVERIFY(!console.window().close()); // the close is refused: the window hides instead
        QVERIFY(!console.window().isVisible());
        QCOMPARE(hidden.size(), 1);
        QCOMPARE(console.runtime().state(), Core::ProxyRuntime::State::Listening);
    }
};

QTEST_MAIN(tst_Tray)
#include "tst_tray.moc"
