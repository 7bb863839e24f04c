// SPDX-License-Identifier: MIT
// The Keys page when no keychain is reachable: D-Bus points at nothing before any keychain use.
// A new key is still created and passes the proxy's auth, its plaintext is shown once with a plain
// warning, and the keychain state turns "unavailable". (ConsoleHarness stores an upstream token in
// the keychain, so this test builds the console itself, without an upstream.)
#include "tests/ui/keys/KeysPageDriver.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"
#include "ui/shell/ConsoleWindow.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Console;

namespace {
int postWithKey(quint16 port, const QString &key)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("x-api-key", key.toUtf8());
    std::unique_ptr<QNetworkReply> reply(
        network.post(request, QByteArrayLiteral("{\"model\":\"m\",\"input\":[]}")));
    if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 10000))
        return -1;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}
} // namespace

class tst_KeysNoKeychain final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keygate-test-bus"); }

    void newKey_noKeychain_shownOnceAndUsable()
    {
        QTemporaryDir dir;
        Core::ProxyRuntime runtime(dir.path(), QStringLiteral("keychain"));
        QVERIFY(runtime.open().ok());
        QVERIFY(Core::SettingsRepository(runtime.database().connection())
                    .setListen(QStringLiteral("127.0.0.1:0"))
                    .ok());
        Core::SecretStoreStatus secretStatus(runtime.secrets());
        RequestRateMeter rate;
        ScriptedDialogService dialogs;
        ConsoleContext context{runtime, secretStatus, rate, dialogs};
        const std::unique_ptr<MainWindow> window = createConsoleWindow(context);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy listening(&runtime, &Core::ProxyRuntime::listening);
        runtime.restartProxy(0);
        QVERIFY(!listening.isEmpty() || listening.wait(5000));
        const auto port = quint16(runtime.stateDetail().section(u':', -1).toUInt());

        KeysPageDriver keys(*window, dialogs);
        const KeysPageDriver::Shown shown = keys.createKey(QStringLiteral("no-keychain"));
        QVERIFY2(dialogs.unexpected().isEmpty(), qPrintable(dialogs.unexpected().join(u'\n')));
        QVERIFY(shown.plaintext.startsWith(u"sk-kg-"));
        QVERIFY2(shown.message.contains(QLatin1String("cannot be shown again")), qPrintable(shown.message));
        QVERIFY(!shown.message.contains(QLatin1String("Stored in")));
        QVERIFY(shown.wipedOnClose);
        QVERIFY(keys.rowOf(QStringLiteral("no-keychain")) >= 0);
        QCOMPARE(secretStatus.state(), Core::SecretStoreStatus::State::Unavailable);

        // The key passes auth (no upstream is configured, so the proxy answers with its own error,
        // not 401); an unknown key is refused.
        const int withKey = postWithKey(port, shown.plaintext);
        QVERIFY2(withKey > 0 && withKey != 401, qPrintable(QString::number(withKey)));
        QCOMPARE(postWithKey(port, QStringLiteral("sk-kg-unknown")), 401);

        // Reveal cannot work: a banner says so, no dialog opens.
        QVERIFY(keys.select(QStringLiteral("no-keychain")));
        keys.click(QStringLiteral("revealKeyButton"));
        auto *banner = keys.page().findChild<MessageBanner *>(QStringLiteral("keysBanner"));
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
        QVERIFY(!banner->text().contains(shown.plaintext));
        QCOMPARE(dialogs.dialogTitles().size(), 2); // the edit and the one-time secret dialog only
        runtime.shutdown();
    }
};

QTEST_MAIN(tst_KeysNoKeychain)
#include "tst_keysnokeychain.moc"
