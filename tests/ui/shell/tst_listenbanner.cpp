// SPDX-License-Identifier: MIT
// The window banner's "Start on this port" after the proxy could not start (issue 13): it tries the
// port first (ProxyRuntime::moveListener); a port that is taken too saves nothing and the banner says
// why, a free one starts the proxy there and only then becomes the setting.
#include "tests/ui/support/ConsoleHarness.h"

#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"

#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>

using namespace Console;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

quint16 storedPort(ConsoleHarness &console)
{
    return Core::SettingsRepository(console.runtime().database().connection()).load().value().listenPort;
}

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

int httpStatus(quint16 port)
{
    QNetworkAccessManager network;
    QNetworkReply *reply =
        network.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(port))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
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
        QVERIFY(Core::SettingsRepository(console.runtime().database().connection())
                    .setListen(QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort()))
                    .ok());
        QSignalSpy failed(&console.runtime(), &Core::ProxyRuntime::failed);
        console.runtime().restartProxy(0);
        QVERIFY(failed.wait(5000));
        MessageBanner &banner = console.window().banner();
        QTRY_VERIFY(banner.isVisible() && banner.text().contains(u"not running"));

        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        QVERIFY(startOn(banner, other.serverPort()));
        QTRY_VERIFY(failed.size() == 2);
        QCOMPARE(storedPort(console), occupant.serverPort()); // the taken port was not saved
        QTRY_VERIFY(banner.isVisible());
        QCOMPARE(banner.kind(), MessageBanner::Kind::Error);
        QVERIFY2(banner.text().contains(QString::number(other.serverPort())), qPrintable(banner.text()));
        QCOMPARE(console.runtime().state(), Core::ProxyRuntime::State::Failed);

        const quint16 free = freePort();
        QVERIFY(startOn(banner, free));
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Listening);
        QTRY_COMPARE(storedPort(console), free);
        QCOMPARE(httpStatus(free), 401);
        QVERIFY(!banner.isVisible());
    }
};

QTEST_MAIN(tst_ListenBanner)
#include "tst_listenbanner.moc"
