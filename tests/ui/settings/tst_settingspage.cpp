// SPDX-License-Identifier: MIT
// The Settings page against the real runtime: Apply reaches the running proxy (port, require-key,
// body limit), the store (auth-event and request-log retention) and the desktop (autostart entry).
#include "tests/ui/settings/SettingsTestSupport.h"

#include "app/core/runtime/Autostart.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"
#include "ui/settings/SettingsPage.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Console;
using SettingsTestSupport::freePort;
using SettingsTestSupport::stored;

namespace {

qint64 authEvents(ConsoleHarness &console)
{
    QSqlQuery query(console.runtime().database().connection());
    return query.exec(QStringLiteral("SELECT COUNT(*) FROM auth_events")) && query.next()
               ? query.value(0).toLongLong()
               : -1;
}

qint64 requestRows(ConsoleHarness &console)
{
    QSqlQuery query(console.runtime().database().connection());
    return query.exec(QStringLiteral("SELECT COUNT(*) FROM request_log")) && query.next() ? query.value(0).toLongLong()
                                                                                         : -1;
}

/// POSTs @p bytes of body to /v1/responses on @p port without a key; the HTTP status (0: none).
int postBody(quint16 port, qint64 bytes)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.post(request, QByteArray(bytes, ' '));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
}

/// Clicks a check box on its indicator (its centre may be empty space when the layout stretches it).
void clickCheckBox(QCheckBox *box)
{
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
}

} // namespace

class tst_SettingsPage final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // Start at login writes here, never into the real ~/.config.
        m_config = std::make_unique<QTemporaryDir>();
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config->path()));
    }

    void apply_newPort_proxyListensThereAndStatusBarSaysSo()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        auto *port = console.find<QSpinBox>(QStringLiteral("settingsListenPort"));
        auto *apply = console.find<QPushButton>(QStringLiteral("settingsApply"));
        QVERIFY(port && apply);
        QCOMPARE(port->value(), 0); // the harness listens on any free port
        QVERIFY(!apply->isEnabled());
        const quint16 newPort = freePort();
        QVERIFY(newPort != 0 && newPort != console.port());
        port->setValue(newPort);
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE(console.find<QLabel>(QStringLiteral("proxyState"))->text(),
                     QStringLiteral("Listening on http://127.0.0.1:%1").arg(newPort));
        QCOMPARE(stored(console).listenPort, newPort);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, newPort);
        QVERIFY(socket.waitForConnected(5000));
        QVERIFY(console.find<MessageBanner>(QStringLiteral("settingsBanner"))
                    ->text()
                    .contains(QString::number(newPort)));
        QVERIFY(!apply->isEnabled()); // saved: nothing left to apply
    }

    void apply_requireKeyOff_anonymousLocalRequestAllowed()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        QCOMPARE(console.postResponses({}).status, 401);
        auto *requireKey = console.find<QCheckBox>(QStringLiteral("settingsRequireKey"));
        QVERIFY(requireKey->isChecked());
        clickCheckBox(requireKey);
        QVERIFY(!requireKey->isChecked());
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QVERIFY(!stored(console).requireKey);
        QCOMPARE(console.postResponses({}).status, 200);
    }

    void apply_bodyLimit1MiB_2MiBPostGets413()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        constexpr qint64 TwoMiB = 2 * 1024 * 1024;
        QCOMPARE(postBody(console.port(), TwoMiB),
                 401); // within the default 32 MiB: refused for the missing key
        auto *maxBody = console.find<QSpinBox>(QStringLiteral("settingsMaxBody"));
        QCOMPARE(maxBody->value(), 32);
        maxBody->setValue(1);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QCOMPARE(stored(console).maxBodyMib, 1);
        QCOMPARE(postBody(console.port(), TwoMiB), 413);
        QCOMPARE(postBody(console.port(), 1024), 401);
    }

    void apply_requestLogRetention_prunesTheStoreAndMinimumMeansForever()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        Proxy::RequestRecord old;
        old.time = QDateTime::currentDateTimeUtc().addDays(-60);
        old.requestId = QStringLiteral("old");
        old.status = 200;
        old.outcome = QStringLiteral("ok");
        console.runtime().store().appendRequests({old});
        console.runtime().store().flush();
        QTRY_COMPARE(requestRows(console), 1); // the default 90 days keeps it

        auto *retention = console.find<QSpinBox>(QStringLiteral("settingsRequestLogRetention"));
        QCOMPARE(retention->value(), 90);
        retention->setValue(45);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QCOMPARE(stored(console).requestLogRetentionDays, 45);
        QTRY_COMPARE(requestRows(console), 0);

        retention->setValue(0); // below the range: the minimum, shown as "forever"
        QCOMPARE(retention->text(), QStringLiteral("forever"));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QCOMPARE(stored(console).requestLogRetentionDays, 0);
        SettingsPage other(console.context());
        QCOMPARE(other.findChild<QSpinBox *>(QStringLiteral("settingsRequestLogRetention"))->text(),
                 QStringLiteral("forever"));
    }

    void apply_retentionAndStartMinimized_persistAndPruneTheStore()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        Proxy::AuthTrace old;
        old.time = QDateTime::currentDateTimeUtc().addDays(-10);
        old.requestId = QStringLiteral("old");
        old.status = 401;
        console.runtime().store().appendAuthEvents({old});
        console.runtime().store().flush();
        QTRY_COMPARE(authEvents(console), 1);

        console.find<QSpinBox>(QStringLiteral("settingsRetention"))->setValue(5);
        auto *minimized = console.find<QCheckBox>(QStringLiteral("settingsStartMinimized"));
        QVERIFY(!minimized->isChecked());
        clickCheckBox(minimized);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QCOMPARE(stored(console).authRetentionDays, 5);
        QVERIFY(stored(console).startMinimized);
        QTRY_COMPARE(authEvents(console), 0); // the store thread applied the new retention at once

        SettingsPage other(console.context()); // a fresh page shows what was stored
        QCOMPARE(other.findChild<QSpinBox *>(QStringLiteral("settingsRetention"))->value(), 5);
        QVERIFY(other.findChild<QCheckBox *>(QStringLiteral("settingsStartMinimized"))->isChecked());
    }

    void apply_startAtLogin_writesAndRemovesTheAutostartEntry()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        const QString entry = m_config->path() + QStringLiteral("/autostart/keygate.desktop");
        auto *atLogin = console.find<QCheckBox>(QStringLiteral("settingsStartAtLogin"));
        auto *apply = console.find<QPushButton>(QStringLiteral("settingsApply"));
        QVERIFY(!atLogin->isChecked());
        clickCheckBox(atLogin);
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(QFile::exists(entry));
        QFile file(entry);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(u"\nExec=" +
                               Core::Autostart::execArgument(QCoreApplication::applicationFilePath()) +
                               u'\n'),
                 qPrintable(text));
        QVERIFY(text.contains(u"\nX-GNOME-Autostart-enabled=true\n"));
        QVERIFY(atLogin->isChecked());
        clickCheckBox(atLogin);
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(!QFile::exists(entry));
        QVERIFY(!atLogin->isChecked());
    }

    void apply_requireKeyOffOnNetworkAddress_refusedWithBanner()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        auto *host = console.find<QLineEdit>(QStringLiteral("settingsListenHost"));
        host->clear();
        QTest::keyClicks(host, QStringLiteral("0.0.0.0"));
        clickCheckBox(console.find<QCheckBox>(QStringLiteral("settingsRequireKey")));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("settingsBanner"));
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
        QVERIFY2(banner->text().contains(u"loopback"), qPrintable(banner->text()));
        QCOMPARE(stored(console).listenHost, QStringLiteral("127.0.0.1"));
        QVERIFY(stored(console).requireKey);
        QCOMPARE(console.find<QLabel>(QStringLiteral("proxyState"))->text(),
                 QStringLiteral("Listening on http://127.0.0.1:%1").arg(console.port()));
        QVERIFY(
            console.find<QPushButton>(QStringLiteral("settingsApply"))->isEnabled()); // the edits are kept
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsRevert")), Qt::LeftButton);
        QCOMPARE(host->text(), QStringLiteral("127.0.0.1"));
        QVERIFY(console.find<QCheckBox>(QStringLiteral("settingsRequireKey"))->isChecked());
    }

    void apply_fallbackPlaceholderOnly_keyShapedBearerIsFinal()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        const auto created =
            Core::KeyService(console.runtime().database(), console.runtime().secrets()).create(QStringLiteral("pi"));
        QVERIFY(created.ok());
        console.runtime().publishKeys();
        const QByteArray key = created.value().plaintext.toUtf8();
        const QList<QPair<QByteArray, QByteArray>> unknownBearer{
            {"Authorization", "Bearer sk-kg-" + QByteArray(44, 'u')}, {"x-api-key", key}};
        const QList<QPair<QByteArray, QByteArray>> placeholder{
            {"Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJwaSJ9.sig"}, {"x-api-key", key}};
        QTRY_COMPARE(console.postResponses(unknownBearer).status, 200); // always: x-api-key decides

        auto *fallback = console.find<QComboBox>(QStringLiteral("settingsApiKeyFallback"));
        QVERIFY(fallback && fallback->isVisible());
        QTest::mouseClick(fallback, Qt::LeftButton); // opens the list, as a user does
        QAbstractItemView *list = fallback->view();
        QTRY_VERIFY(list->isVisible());
        const int row = fallback->findData(QStringLiteral("placeholder-only"));
        QVERIFY(row >= 0);
        // In the open list: arrow down to the entry and Enter (a click right after opening is taken
        // by the combo box as the end of the opening click).
        for (int i = fallback->currentIndex(); i < row; ++i)
            QTest::keyClick(list, Qt::Key_Down);
        QTest::keyClick(list, Qt::Key_Return);
        QTRY_VERIFY(!list->isVisible());
        QCOMPARE(fallback->currentIndex(), row);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);

        QCOMPARE(Proxy::toString(stored(console).apiKeyFallback), QStringLiteral("placeholder-only"));
        QCOMPARE(console.postResponses(unknownBearer).status, 401);
        QCOMPARE(console.postResponses(placeholder).status, 200); // Pi keeps working
    }

    void apply_metricsAccessOff_metricsRouteGone()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("settings"));
        QCOMPARE(console.get("/metrics", {}).status, 200); // loopback by default: the test is local
        auto *access = console.find<QComboBox>(QStringLiteral("settingsMetricsAccess"));
        QVERIFY(access && access->isVisible());
        QCOMPARE(access->currentData().toString(), QStringLiteral("loopback"));
        access->setFocus();
        const int off = access->findData(QStringLiteral("off"));
        for (int i = access->currentIndex(); i < off; ++i)
            QTest::keyClick(access, Qt::Key_Down); // a closed combo box steps through its entries
        QCOMPARE(access->currentIndex(), off);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QCOMPARE(Proxy::toString(stored(console).metricsAccess), QStringLiteral("off"));
        QTRY_COMPARE(console.get("/metrics", {}).status, 404);
    }

    void externalChange_reloadsFormUnlessEdited()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *maxBody = console.find<QSpinBox>(QStringLiteral("settingsMaxBody"));
        Core::Database cli; // another process's connection, as `keygate settings set`
        QVERIFY(cli.open(console.dataDir()).ok());
        QVERIFY(Core::SettingsRepository(cli.connection())
                    .set(QStringLiteral("max-body-mib"), QStringLiteral("64"))
                    .ok());
        QTRY_COMPARE(maxBody->value(), 64);

        console.find<QSpinBox>(QStringLiteral("settingsRetention"))->setValue(9); // an unsaved edit
        QSignalSpy changed(&console.runtime(), &Core::ProxyRuntime::configChanged);
        QVERIFY(Core::SettingsRepository(cli.connection())
                    .set(QStringLiteral("max-body-mib"), QStringLiteral("100"))
                    .ok());
        QVERIFY(changed.wait(5000));
        QCOMPARE(maxBody->value(), 64);
        QCOMPARE(console.find<QSpinBox>(QStringLiteral("settingsRetention"))->value(), 9);
    }

private:
    std::unique_ptr<QTemporaryDir> m_config;
};

QTEST_MAIN(tst_SettingsPage)
#include "tst_settingspage.moc"
