// SPDX-License-Identifier: MIT
// Changing the listen port on the Settings page, driven with keyboard and mouse against the real
// runtime and proxy: the new listener is tried before anything is saved, a taken port leaves the
// proxy where it was and says so under the field, port 0 is refused, and the page's banner never
// stays up beside the window's "not running".
#include "tests/ui/settings/SettingsTestSupport.h"

#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"

#include <QLabel>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Console;
using SettingsTestSupport::freePort;
using SettingsTestSupport::httpStatus;
using SettingsTestSupport::stored;

namespace {

bool refusesConnections(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return !socket.waitForConnected(3000) && socket.error() == QAbstractSocket::ConnectionRefusedError;
}

/// Replaces the port field's text as a user does: click into it, select all, type.
void typePort(QSpinBox *port, quint16 value)
{
    QTest::mouseClick(port, Qt::LeftButton, {}, QPoint(port->width() / 3, port->height() / 2));
    QTest::keyClick(port, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(port, QString::number(value));
}

QString proxyState(ConsoleHarness &console)
{
    return console.find<QLabel>(QStringLiteral("proxyState"))->text();
}

} // namespace

class tst_SettingsListen final : public QObject
{
    Q_OBJECT

private slots:
    void apply_portInUse_oldListenerKeptNothingSavedInlineError()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = occupant.serverPort();
        const QString before = stored(console).listen();

        auto *port = console.find<QSpinBox>(QStringLiteral("settingsListenPort"));
        typePort(port, taken);
        QCOMPARE(port->value(), int(taken));
        QSignalSpy failed(&console.runtime(), &Core::ProxyRuntime::listenerMoveFailed);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QVERIFY(failed.wait(5000));

        auto *error = console.find<QLabel>(QStringLiteral("settingsListenError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QString::number(taken)), qPrintable(error->text()));
        QVERIFY2(error->text().contains(QStringLiteral("still listens on 127.0.0.1:%1").arg(console.port())),
                 qPrintable(error->text()));
        QCOMPARE(stored(console).listen(), before); // nothing saved
        QCOMPARE(httpStatus(console.port()), 401);  // the old listener still answers
        QCOMPARE(console.postResponses({}).status, 401);
        QCOMPARE(proxyState(console), QStringLiteral("Listening on http://127.0.0.1:%1").arg(console.port()));
        QVERIFY(!console.find<MessageBanner>(QStringLiteral("settingsBanner"))->isVisible());
        QVERIFY(!console.find<MessageBanner>(QStringLiteral("windowBanner"))->isVisible());
        QCOMPARE(port->value(), int(taken)); // the edit is kept to correct it
        QVERIFY(console.find<QPushButton>(QStringLiteral("settingsApply"))->isEnabled());

        typePort(port, freePort()); // editing the port clears the stale reason
        QVERIFY(!error->isVisible());
    }

    void apply_freePort_proxyMovesOldPortClosedSaved()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        const quint16 oldPort = console.port();
        const quint16 newPort = freePort();
        QVERIFY(newPort != 0 && newPort != oldPort);

        typePort(console.find<QSpinBox>(QStringLiteral("settingsListenPort")), newPort);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QTRY_COMPARE(stored(console).listenPort, newPort);

        QCOMPARE(httpStatus(newPort), 401);
        QVERIFY(refusesConnections(oldPort));
        QCOMPARE(proxyState(console), QStringLiteral("Listening on http://127.0.0.1:%1").arg(newPort));
        auto *banner = console.find<MessageBanner>(QStringLiteral("settingsBanner"));
        QCOMPARE(banner->kind(), MessageBanner::Kind::Info);
        QVERIFY2(banner->text().contains(QStringLiteral("now listens on 127.0.0.1:%1").arg(newPort)),
                 qPrintable(banner->text()));
        QVERIFY(!console.find<QLabel>(QStringLiteral("settingsListenError"))->isVisible());
        QVERIFY(!console.find<QPushButton>(QStringLiteral("settingsApply"))->isEnabled());
    }

    void apply_portZero_refusedInlineNothingSaved()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        auto *port = console.find<QSpinBox>(QStringLiteral("settingsListenPort"));
        auto *apply = console.find<QPushButton>(QStringLiteral("settingsApply"));
        const quint16 real = freePort();
        typePort(port, real);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE(stored(console).listenPort, real);

        typePort(port, 0);
        QCOMPARE(port->value(), 0);
        auto *error = console.find<QLabel>(QStringLiteral("settingsListenError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().startsWith(u"Port 0 is not a setting"), qPrintable(error->text()));
        QVERIFY(!apply->isEnabled());
        QTest::keyClick(port, Qt::Key_S, Qt::ControlModifier); // Ctrl+S is refused too
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(stored(console).listenPort, real);
        QCOMPARE(httpStatus(real), 401);
    }

    void apply_afterSavedBannerProxyStops_bannerDismissed()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        const quint16 newPort = freePort();
        typePort(console.find<QSpinBox>(QStringLiteral("settingsListenPort")), newPort);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("settingsBanner"));
        QTRY_VERIFY(banner->isVisible() && banner->text().contains(u"now listens on"));

        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("proxyToggle")), Qt::LeftButton);
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Stopped);
        QVERIFY(!banner->isVisible()); // "now listens on" no longer true
    }

    void apply_proxyFailedToStart_freePortStartsItOccupiedPortSavesNothing()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        // The stored port was taken while Keygate was closed: the proxy cannot start.
        QVERIFY(SettingsTestSupport::failToStartOn(console, occupant));
        auto *windowBanner = console.find<MessageBanner>(QStringLiteral("windowBanner"));
        QTRY_VERIFY(windowBanner->isVisible() && windowBanner->text().contains(u"not running"));
        console.window().showPage(QStringLiteral("settings"));
        auto *port = console.find<QSpinBox>(QStringLiteral("settingsListenPort"));
        auto *apply = console.find<QPushButton>(QStringLiteral("settingsApply"));
        auto *banner = console.find<MessageBanner>(QStringLiteral("settingsBanner"));
        auto *error = console.find<QLabel>(QStringLiteral("settingsListenError"));
        QTRY_COMPARE(port->value(), int(occupant.serverPort()));

        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        typePort(port, other.serverPort());
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QString::number(other.serverPort())), qPrintable(error->text()));
        QVERIFY2(error->text().contains(u"not running"), qPrintable(error->text()));
        QCOMPARE(stored(console).listenPort, occupant.serverPort());
        QVERIFY(!banner->isVisible()); // no "saved" beside the window's "not running"

        const quint16 free = freePort();
        typePort(port, free);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Listening);
        QTRY_COMPARE(stored(console).listenPort, free);
        QCOMPARE(httpStatus(free), 401);
        QVERIFY(!windowBanner->isVisible());
        QVERIFY(banner->isVisible() && banner->text().contains(u"now listens on"));
    }
};

QTEST_MAIN(tst_SettingsListen)
#include "tst_settingslisten.moc"
