// SPDX-License-Identifier: MIT
// The Upstream page against the real runtime, keychain and proxy: the token goes into the
// keychain only and reaches the proxy; Codex login import; Test connection outcomes.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/secrets/SecretStore.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"

#include "ui/common/MessageBanner.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTcpServer>
#include <QTest>

using namespace Console;
using Proxy::FakeUpstream;

namespace {

QByteArray databaseBytes(const QString &dataDir)
{
    QByteArray bytes;
    for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
        QFile file(Core::Database::fileName(dataDir) + suffix);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

QJsonObject modelList(int count)
{
    QJsonArray data;
    for (int i = 0; i < count; ++i)
        data.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("model-%1").arg(i)}});
    return QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
}

QString testResult(ConsoleHarness &console)
{
    return console.find<QLabel>(QStringLiteral("upstreamTestResult"))->text();
}

} // namespace

class tst_UpstreamPage final : public QObject
{
    Q_OBJECT

private slots:
    void show_harnessUpstream_showsRowAndTokenStateNeverTheToken()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamKind"))->text(),
                 QStringLiteral("OpenAI-compatible API"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamBaseUrl"))->text(),
                 console.upstream().baseUrl().toString() + QStringLiteral("/v1"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamTokenState"))->text(),
                 QStringLiteral("Stored in your keychain"));
        const QWidget *page = console.window().page(QStringLiteral("upstream"));
        for (const QLabel *label : page->findChildren<QLabel *>())
            QVERIFY(!label->text().contains(u"upstream-token"));
        QVERIFY(console.find<QLineEdit>(QStringLiteral("upstreamTokenEdit"))->text().isEmpty());
        QCOMPARE(console.find<QLineEdit>(QStringLiteral("upstreamTokenEdit"))->echoMode(),
                 QLineEdit::Password);
    }

    void save_token_keychainHoldsItDatabaseDoesNotProxyUsesIt()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                             .create(QStringLiteral("t"));
        QVERIFY(key.ok());
        console.runtime().publishKeys();
        console.window().showPage(QStringLiteral("upstream"));
        const QByteArray token = "tok-from-the-page-4711";
        auto *tokenEdit = console.find<QLineEdit>(QStringLiteral("upstreamTokenEdit"));
        QTest::keyClicks(tokenEdit, QString::fromLatin1(token));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamSave")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("upstreamBanner"));
        QVERIFY2(banner->kind() == MessageBanner::Kind::Info, qPrintable(banner->text()));
        QVERIFY(tokenEdit->text().isEmpty());

        QCOMPARE(console.runtime().secrets().read(QStringLiteral("upstream/token")).value, token);
        QVERIFY(!databaseBytes(console.dataDir()).contains(token));
        for (const QLabel *label :
             console.window().page(QStringLiteral("upstream"))->findChildren<QLabel *>())
            QVERIFY(!label->text().contains(QString::fromLatin1(token)));

        const auto response =
            console.postResponses({{"Authorization", "Bearer " + key.value().plaintext.toUtf8()}});
        QCOMPARE(response.status, 200);
        QCOMPARE(console.upstream().lastRequest().headers.value("authorization"), "Bearer " + token);
    }

    void save_emptyTokenEdit_keepsTheStoredToken()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        auto *account = console.find<QLineEdit>(QStringLiteral("upstreamAccountIdEdit"));
        auto *kind = console.find<QComboBox>(QStringLiteral("upstreamKindEdit"));
        QVERIFY(UserInput::chooseItem(*kind, kind->findData(QStringLiteral("codex"))));
        QVERIFY(account->isEnabled());
        QCOMPARE(console.find<QLineEdit>(QStringLiteral("upstreamBaseUrlEdit"))->text(),
                 console.upstream().baseUrl().toString() + QStringLiteral("/v1")); // an own URL is kept
        QTest::keyClicks(account, QStringLiteral("acct-77"));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamSave")), Qt::LeftButton);
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamKind"))->text(),
                 QStringLiteral("Codex (ChatGPT login)"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamAccountId"))->text(),
                 QStringLiteral("acct-77"));
        QCOMPARE(console.runtime().secrets().read(QStringLiteral("upstream/token")).value,
                 QByteArray("upstream-token"));
    }

    void save_noTokenAnywhere_refusedWithBanner()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(console.runtime().secrets().remove(QStringLiteral("upstream/token")).ok);
        console.window().showPage(QStringLiteral("upstream"));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamSave")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("upstreamBanner"));
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
        QVERIFY2(banner->text().contains(u"Enter the upstream token"), qPrintable(banner->text()));
    }

    void import_codexAuthJson_setsCodexUpstreamWithTokensInKeychain()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QJsonDocument(
                QJsonObject{{QStringLiteral("tokens"),
                             QJsonObject{{QStringLiteral("access_token"), QStringLiteral("codex-access-1")},
                                         {QStringLiteral("refresh_token"), QStringLiteral("codex-refresh-1")},
                                         {QStringLiteral("account_id"), QStringLiteral("acct-9")}}}})
                .toJson());
        file.close();
        console.dialogs().answerNextFile(path);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamImport")), Qt::LeftButton);
        QVERIFY(console.dialogs().unexpected().isEmpty());
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamKind"))->text(),
                 QStringLiteral("Codex (ChatGPT login)"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamBaseUrl"))->text(),
                 QStringLiteral("https://chatgpt.com/backend-api"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamAccountId"))->text(), QStringLiteral("acct-9"));
        QCOMPARE(console.runtime().secrets().read(QStringLiteral("upstream/token")).value,
                 QByteArray("codex-access-1"));
        QCOMPARE(console.runtime().secrets().read(QStringLiteral("upstream/refresh-token")).value,
                 QByteArray("codex-refresh-1"));
        QVERIFY(!databaseBytes(console.dataDir()).contains("codex-access-1"));
        QVERIFY(console.find<MessageBanner>(QStringLiteral("upstreamBanner"))->text().contains(path));
    }

    void import_invalidFile_showsBannerAndKeepsUpstream()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"tokens\":{}}");
        file.close();
        console.dialogs().answerNextFile(path);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamImport")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("upstreamBanner"));
        QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
        QVERIFY2(banner->text().contains(u"access_token"), qPrintable(banner->text()));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamKind"))->text(),
                 QStringLiteral("OpenAI-compatible API"));
    }

    void testConnection_fakeUpstream_reportsModelCount()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        console.upstream().setReply("/v1/models", FakeUpstream::Reply::json(modelList(4)));
        auto *test = console.find<QPushButton>(QStringLiteral("upstreamTest"));
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(!test->isEnabled()); // the check runs without blocking the window
        QTRY_VERIFY2(testResult(console).startsWith(u"Connected: HTTP 200, 4 models ("),
                     qPrintable(testResult(console)));
        QVERIFY(test->isEnabled());
        QCOMPARE(console.upstream().lastRequest().headers.value("authorization"),
                 QByteArray("Bearer upstream-token"));
    }

    void testConnection_closedPort_reportsConnectionFailure()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        auto *baseUrl = console.find<QLineEdit>(QStringLiteral("upstreamBaseUrlEdit"));
        baseUrl->clear();
        QTest::keyClicks(baseUrl, QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamSave")), Qt::LeftButton);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamTest")), Qt::LeftButton);
        QTRY_VERIFY2(testResult(console).startsWith(
                         QStringLiteral("Failed: connection refused by 127.0.0.1:%1").arg(port)),
                     qPrintable(testResult(console)));
    }

    void testConnection_401_saysTheTokenWasRefused()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        console.upstream().setReply(
            "/v1/models",
            FakeUpstream::Reply::json(
                QJsonObject{{QStringLiteral("error"),
                             QJsonObject{{QStringLiteral("message"), QStringLiteral("bad key")}}}},
                401));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamTest")), Qt::LeftButton);
        QTRY_VERIFY2(testResult(console).startsWith(u"Failed: HTTP 401, the upstream refused the token"),
                     qPrintable(testResult(console)));
    }
};

QTEST_MAIN(tst_UpstreamPage)
#include "tst_upstreampage.moc"
