// SPDX-License-Identifier: MIT
// The console shell: title, status bar, start/stop, the port-conflict banner, page shortcuts,
// the secret-store state and the single-instance guard.
#include "app/core/runtime/SingleInstance.h"
#include "tests/ui/support/ConsoleHarness.h"
#include "app/core/storage/SettingsRepository.h"
#include "ui/common/MessageBanner.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTcpServer>
#include <QTest>

using namespace Console;

class tst_MainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void windowTitleAndListeningState()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(console.window().windowTitle().contains(u"Keygate"));
        auto *state = console.find<QLabel>(QStringLiteral("proxyState"));
        QVERIFY(state);
        QCOMPARE(state->text(), QStringLiteral("Listening on http://127.0.0.1:%1").arg(console.port()));
    }

    void proxyToggleStopsAndStarts()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *toggle = console.find<QPushButton>(QStringLiteral("proxyToggle"));
        QCOMPARE(toggle->text(), QStringLiteral("Stop proxy"));
        QTest::mouseClick(toggle, Qt::LeftButton);
        QTRY_COMPARE(console.find<QLabel>(QStringLiteral("proxyState"))->text(), QStringLiteral("Proxy stopped"));
        QCOMPARE(console.get("/v1/models", {}).status, 0); // connection refused: nothing listens
        QTest::mouseClick(toggle, Qt::LeftButton);
        QTRY_VERIFY(console.find<QLabel>(QStringLiteral("proxyState"))->text().startsWith(u"Listening on"));
    }

    void portConflictShowsBannerWithPortAndRetry()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = occupier.serverPort();
        QVERIFY(Core::SettingsRepository(console.runtime().database().connection())
                    .setListen(QStringLiteral("127.0.0.1:%1").arg(taken)));
        console.runtime().restartProxy(0);
        auto *banner = console.find<MessageBanner>(QStringLiteral("windowBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QString::number(taken)), qPrintable(banner->text()));
        QVERIFY(console.find<QLabel>(QStringLiteral("proxyState"))->text().startsWith(u"Proxy error"));

        QTcpServer probe; // a port that is free right now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = probe.serverPort();
        probe.close();
        auto *port = console.find<QSpinBox>(QStringLiteral("bannerPort"));
        QVERIFY(port);
        port->setValue(freePort);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("bannerRetry")), Qt::LeftButton);
        QTRY_COMPARE(console.find<QLabel>(QStringLiteral("proxyState"))->text(),
                     QStringLiteral("Listening on http://127.0.0.1:%1").arg(freePort));
        QVERIFY(!banner->isVisible());
        const auto stored = Core::SettingsRepository(console.runtime().database().connection()).load();
        QCOMPARE(stored.value().listenPort, freePort);
    }

    void ctrlNumberSelectsPages()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().activateWindow();
        QCOMPARE(console.window().currentPageId(), QStringLiteral("overview"));
        QTest::keyClick(&console.window(), Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(console.window().currentPageId(), QStringLiteral("keys"));
        QTest::keyClick(&console.window(), Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(console.window().currentPageId(), QStringLiteral("usage"));
        QTest::keyClick(&console.window(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(console.window().currentPageId(), QStringLiteral("overview"));
    }

    void keychainStateInStatusBar()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.secretStatus().probe();
        QCOMPARE(console.find<QLabel>(QStringLiteral("keychainState"))->text(), QStringLiteral("Keychain: ready"));
    }

    void keychainUnavailableExplainedOnce()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *banner = console.find<MessageBanner>(QStringLiteral("windowBanner"));
        const auto unavailable = Core::SecretResult::failure(Core::SecretError::Unavailable,
                                                             QStringLiteral("the OS keychain is unavailable (test)"));
        console.secretStatus().report(unavailable);
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(u"the OS keychain is unavailable (test)"));
        QVERIFY(banner->text().contains(u"Still working: the proxy"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("keychainState"))->text(), QStringLiteral("Keychain: unavailable"));
        banner->dismiss();
        console.secretStatus().report(Core::SecretResult::success());
        console.secretStatus().report(unavailable);
        QVERIFY(!banner->isVisible()); // said once per run
    }

    void secondInstanceActivatesTheFirst()
    {
        QTemporaryDir dir;
        Core::SingleInstance first(dir.path());
        QVERIFY(first.claim());
        QSignalSpy activated(&first, &Core::SingleInstance::activationRequested);
        Core::SingleInstance second(dir.path());
        QVERIFY(!second.claim());
        QVERIFY(activated.wait(2000));
        QTemporaryDir other;
        Core::SingleInstance unrelated(other.path());
        QVERIFY(unrelated.claim()); // another data directory is another instance
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
