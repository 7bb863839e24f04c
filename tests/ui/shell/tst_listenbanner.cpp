// SPDX-License-Identifier: MIT
// The window banner's "Start on this port" after the proxy could not start (issue 13): it tries the
// port first (ProxyRuntime::moveListener); a port that is taken too saves nothing and the banner says
// why, a free one starts the proxy there and only then becomes the setting.
#include "tests/ui/settings/SettingsTestSupport.h"

#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"

#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>

using namespace Console;
using SettingsTestSupport::freePort;
using SettingsTestSupport::httpStatus;
using SettingsTestSupport::stored;

namespace {

/// Types @p port into the banner's port field and clicks "Start on this port", as a user does.
bool startOn(MessageBanner &banner, quint16 port)
{
    auto *field = banner.findChild<QSpinBox *>(QStringLiteral("bannerPort"));
    auto *retry = banner.findChild<QPushButton *>(QStringLiteral("bannerRetry"));
    // Widgets added to a shown layout appear on the next event-loop pass.
    if (!field || !retry || !QTest::qWaitFor([field, retry] { return field->isVisible() && retry->isVisible(); })) {
        qWarning("no visible port field in the banner: %s", qPrintable(banner.text()));
        return false;
    }
    QTest::mouseClick(field, Qt::LeftButton, {}, QPoint(field->width() / 3, field->height() / 2));
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(field, QString::number(port));
    if (field->value() != port) {
        qWarning("the port field reads %d, not %d", field->value(), int(port));
        return false;
    }
    QTest::mouseClick(retry, Qt::LeftButton);
    return true;
}

} // namespace

class tst_ListenBanner final : public QObject
{
    Q_OBJECT

private slots:
    void startOnPort_takenThenFree_savesOnlyThePortThatWorks()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        QVERIFY(SettingsTestSupport::failToStartOn(console, occupant));
        QSignalSpy failed(&console.runtime(), &Core::ProxyRuntime::failed);
        MessageBanner &banner = console.window().banner();
        QTRY_VERIFY(banner.isVisible() && banner.text().contains(u"not running"));

        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        QVERIFY(startOn(banner, other.serverPort()));
        QTRY_VERIFY(failed.size() == 1); // the second port failed too
        QCOMPARE(stored(console).listenPort, occupant.serverPort()); // the taken port was not saved
        QTRY_VERIFY(banner.isVisible());
        QCOMPARE(banner.kind(), MessageBanner::Kind::Error);
        QVERIFY2(banner.text().contains(QString::number(other.serverPort())), qPrintable(banner.text()));
        QCOMPARE(console.runtime().state(), Core::ProxyRuntime::State::Failed);

        const quint16 free = freePort();
        QVERIFY(startOn(banner, free));
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Listening);
        QTRY_COMPARE(stored(console).listenPort, free);
        QCOMPARE(httpStatus(free), 401);
        QVERIFY(!banner.isVisible());
    }
};

QTEST_MAIN(tst_ListenBanner)
#include "tst_listenbanner.moc"
