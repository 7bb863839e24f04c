// SPDX-License-Identifier: MIT
// Notifications through the real runtime, proxy and services: each trigger once per occurrence,
// muting from the Settings page (persisted), and the presenter's fallback where there is no tray.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/AccountService.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/NotificationMutes.h"
#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"
#include "ui/notify/NotificationCenter.h"
#include "ui/notify/NotificationPresenter.h"
#include "ui/notify/NotificationSettingsBox.h"

#include <QCheckBox>
#include <QDBusConnection>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Console;
using Kind = Core::NotificationKind;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// Long enough for the center's once-a-second evaluation to have run twice.
constexpr int NoRepeatMs = 2200;

Headers bearer(const QString &key)
{
    return {{"Authorization", "Bearer " + key.toUtf8()}};
}

/// Clicks the box itself (a click right of its text does not toggle it).
void clickCheckBox(QCheckBox *box)
{
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
}

QList<Notification> ofKind(const QSignalSpy &spy, Kind kind)
{
    QList<Notification> found;
    for (const QList<QVariant> &arguments : spy)
        if (const auto notification = arguments.constFirst().value<Notification>(); notification.kind == kind)
            found.append(notification);
    return found;
}

qint64 onlyAccountId(ConsoleHarness &console)
{
    const auto accounts = Core::AccountRepository(console.runtime().database().connection()).list();
    return accounts && accounts.value().size() == 1 ? accounts.value().constFirst().id : 0;
}

} // namespace

/// A notification server on the test's private session bus (org.freedesktop.Notifications), the
/// way a desktop without a tray has one; it records what it was asked to show.
class FakeNotificationServer final : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Shown final
    {
        QString app;
        QString summary;
        QString body;
        uchar urgency = 0;
    };

    bool registerOnBus()
    {
        QDBusConnection bus = QDBusConnection::sessionBus();
        return bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), this,
                                  QDBusConnection::ExportAllSlots) &&
               bus.registerService(QStringLiteral("org.freedesktop.Notifications"));
    }
    ~FakeNotificationServer() override
    {
        QDBusConnection::sessionBus().unregisterService(QStringLiteral("org.freedesktop.Notifications"));
        QDBusConnection::sessionBus().unregisterObject(QStringLiteral("/org/freedesktop/Notifications"));
    }

    QList<Shown> shown;

public slots:
    uint Notify(const QString &app, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &hints, int)
    {
        shown.append({app, summary, body, hints.value(QStringLiteral("urgency")).value<uchar>()});
        return uint(shown.size());
    }
};

class tst_Notifications final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<Notification>(); }

    void keyLimit_reached_notifiedOncePerWindow()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        QSignalSpy spy(&center, &NotificationCenter::notified);
        const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                             .create(QStringLiteral("pi-laptop"));
        QVERIFY(key);
        QVERIFY(
            Core::KeyPolicyService(console.runtime().database())
                .addLimit(key.value().record.id, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 30));
        console.runtime().publishKeys();

        QCOMPARE(console.postResponses(bearer(key.value().plaintext)).status, 200); // 18 of 30
        QTest::qWait(500);
        QVERIFY(ofKind(spy, Kind::KeyLimitReached).isEmpty());
        QCOMPARE(console.postResponses(bearer(key.value().plaintext)).status, 200); // 36 of 30: used up
        QTRY_COMPARE(ofKind(spy, Kind::KeyLimitReached).size(), 1);
        const Notification notification = ofKind(spy, Kind::KeyLimitReached).constFirst();
        QCOMPARE(notification.title, QStringLiteral("Key \"pi-laptop\" reached a limit"));
        QVERIFY(notification.text.startsWith(QStringLiteral("tokens / day")));

        QCOMPARE(console.postResponses(bearer(key.value().plaintext)).status, 429); // refused, still used up
        QTest::qWait(NoRepeatMs);
        QCOMPARE(ofKind(spy, Kind::KeyLimitReached).size(), 1);
    }

    void account_needsReauth_notifiedOnceUntilItRecovers()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        QSignalSpy spy(&center, &NotificationCenter::notified);
        const qint64 account = onlyAccountId(console);
        QVERIFY(account > 0);
        QTest::qWait(100); // the start-up evaluation: nothing to tell
        QVERIFY(spy.isEmpty());

        // What AccountRefresher does when a refresh fails for good.
        Core::AccountService accounts(console.runtime().database(), console.runtime().secrets());
        QVERIFY(accounts.markNeedsReauth(account, QStringLiteral("refresh token revoked")));
        console.runtime().publishConfig();
        QTRY_COMPARE(ofKind(spy, Kind::AccountNeedsReauth).size(), 1);
        QVERIFY(ofKind(spy, Kind::AccountNeedsReauth)
                    .constFirst()
                    .title.contains(QStringLiteral("needs a new sign-in")));
        console.runtime().publishConfig();
        QTest::qWait(NoRepeatMs);
        QCOMPARE(ofKind(spy, Kind::AccountNeedsReauth).size(), 1);

        QVERIFY(Core::AccountRepository(console.runtime().database().connection())
                    .setState(account, Proxy::AccountState::Active, {}));
        console.runtime().publishConfig();
        QVERIFY(accounts.markNeedsReauth(account, QStringLiteral("revoked again")));
        console.runtime().publishConfig();
        QTRY_COMPARE(ofKind(spy, Kind::AccountNeedsReauth).size(), 2); // a new occurrence
    }

    void pool_everyAccountRateLimited_notifiedOnceWithSoonestReset()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        QSignalSpy spy(&center, &NotificationCenter::notified);
        Proxy::FakeUpstream::Reply limited = Proxy::FakeUpstream::Reply::json(
            QJsonObject{{QStringLiteral("error"),
                         QJsonObject{{QStringLiteral("message"), QStringLiteral("slow down")}}}},
            429);
        limited.headers.set("Retry-After", "300");
        console.upstream().setReply("/v1/responses", limited);
        const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                             .create(QStringLiteral("laptop"));
        console.runtime().publishKeys();

        QCOMPARE(console.postResponses(bearer(key.value().plaintext)).status, 429);
        QTRY_COMPARE(ofKind(spy, Kind::PoolRateLimited).size(), 1);
        const Notification notification = ofKind(spy, Kind::PoolRateLimited).constFirst();
        QCOMPARE(notification.title, QStringLiteral("Every account is rate limited"));
        QVERIFY2(notification.text.contains(QStringLiteral("resets in 4m")) ||
                     notification.text.contains(QStringLiteral("resets in 5m")),
                 qPrintable(notification.text));
        console.postResponses(bearer(key.value().plaintext)); // still cooling down
        QTest::qWait(NoRepeatMs);
        QCOMPARE(ofKind(spy, Kind::PoolRateLimited).size(), 1);
    }

    void proxy_stoppedOrFailedToStart_notifiedButNotOnRestart()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        QSignalSpy spy(&center, &NotificationCenter::notified);

        QSignalSpy listening(&console.runtime(), &Core::ProxyRuntime::listening);
        console.runtime().restartProxy(0); // stops and starts at once: nothing to tell
        QVERIFY(listening.wait(5000));
        QTest::qWait(1000); // past the grace a real stop waits
        QVERIFY(ofKind(spy, Kind::ProxyDown).isEmpty());

        console.runtime().stopProxy(0);
        QTRY_COMPARE(ofKind(spy, Kind::ProxyDown).size(), 1);
        QCOMPARE(ofKind(spy, Kind::ProxyDown).constFirst().title, QStringLiteral("Keygate proxy stopped"));

        QTcpServer taken; // another program holds the port
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        QVERIFY(Core::SettingsRepository(console.runtime().database().connection())
                    .setListen(QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())));
        console.runtime().restartProxy(0);
        QTRY_COMPARE(ofKind(spy, Kind::ProxyDown).size(), 2);
        const Notification failed = ofKind(spy, Kind::ProxyDown).constLast();
        QCOMPARE(failed.title, QStringLiteral("Keygate proxy could not start"));
        QVERIFY2(failed.text.contains(QString::number(taken.serverPort())), qPrintable(failed.text));
    }

    void key_expiresWithinThreeDays_notifiedOnce()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        QSignalSpy spy(&center, &NotificationCenter::notified);
        Core::KeyService keys(console.runtime().database(), console.runtime().secrets());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(keys.create(QStringLiteral("soon"), now.addDays(2)));
        QVERIFY(keys.create(QStringLiteral("later"), now.addDays(5)));
        QVERIFY(keys.create(QStringLiteral("never")));
        console.runtime().publishKeys();

        QTRY_COMPARE(ofKind(spy, Kind::KeyExpiring).size(), 1);
        const Notification notification = ofKind(spy, Kind::KeyExpiring).constFirst();
        QCOMPARE(notification.title, QStringLiteral("Key \"soon\" expires soon"));
        QVERIFY2(notification.text.contains(QStringLiteral("in 1d")) ||
                     notification.text.contains(QStringLiteral("in 2d")),
                 qPrintable(notification.text));
        console.runtime().publishKeys();
        QTest::qWait(NoRepeatMs);
        QCOMPARE(ofKind(spy, Kind::KeyExpiring).size(), 1);
    }

    void settingsCheckBox_unchecked_mutesAndPersists()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        QSignalSpy spy(&center, &NotificationCenter::notified);
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("settings")));
        auto *proxyDown = console.find<QCheckBox>(NotificationSettingsBox::objectNameOf(Kind::ProxyDown));
        QVERIFY(proxyDown);
        QVERIFY(proxyDown->isChecked());
        clickCheckBox(proxyDown);
        QVERIFY(!proxyDown->isChecked());
        const Core::NotificationMutes mutes(console.runtime().database().connection());
        QCOMPARE(mutes.isMuted(Kind::ProxyDown).value(), true);
        QCOMPARE(mutes.isMuted(Kind::KeyExpiring).value(), false);
        NotificationSettingsBox reloaded(console.runtime().database());
        QVERIFY(!reloaded.findChild<QCheckBox *>(NotificationSettingsBox::objectNameOf(Kind::ProxyDown))
                     ->isChecked());

        console.runtime().stopProxy(0);
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Stopped);
        QTest::qWait(1000); // past the grace a real stop waits
        QVERIFY(ofKind(spy, Kind::ProxyDown).isEmpty());

        clickCheckBox(proxyDown); // shown again
        QVERIFY(console.runtime().startProxy());
        QTRY_COMPARE(console.runtime().state(), Core::ProxyRuntime::State::Listening);
        console.runtime().stopProxy(0);
        QTRY_COMPARE(ofKind(spy, Kind::ProxyDown).size(), 1);
    }

    void presenter_noTrayButNotificationServer_sendsFreedesktopNotification()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        FakeNotificationServer server;
        QVERIFY(server.registerOnBus());
        NotificationCenter center(console.runtime());
        NotificationPresenter presenter(center, nullptr, console.window().banner());
        console.runtime().stopProxy(0);
        QTRY_COMPARE(server.shown.size(), 1);
        QCOMPARE(server.shown.constFirst().app, QStringLiteral("Keygate"));
        QCOMPARE(server.shown.constFirst().summary, QStringLiteral("Keygate proxy stopped"));
        QCOMPARE(server.shown.constFirst().urgency, uchar(2));
        QVERIFY(!console.window().banner().text().startsWith(QStringLiteral("Keygate proxy stopped")));
    }

    void presenter_noTray_showsInWindowBanner()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        NotificationCenter center(console.runtime());
        NotificationPresenter presenter(center, nullptr, console.window().banner());
        console.runtime().stopProxy(0);
        QTRY_VERIFY(console.window().banner().isVisible());
        QVERIFY(console.window().banner().text().startsWith(QStringLiteral("Keygate proxy stopped: ")));
        QCOMPARE(console.window().banner().kind(), MessageBanner::Kind::Warning);
    }
};

QTEST_MAIN(tst_Notifications)
#include "tst_notifications.moc"
