// SPDX-License-Identifier: MIT
// The Accounts page against the real runtime, keychain and SQLite (ConsoleHarness).
#include "app/core/services/AccountService.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/SettingsRepository.h"
#include "tests/support/FakeOAuthServer.h"
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"
#include "ui/accounts/AccountTableModel.h"
#include "ui/accounts/AccountsPage.h"
#include "ui/common/MessageBanner.h"

#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace Console;

namespace {

QModelIndex index(AccountsPage *page, const QString &name, int column)
{
    const AccountTableModel &model = page->model();
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.accountAt(row)->record.name == name)
            return model.index(row, column);
    return {};
}

QString cell(AccountsPage *page, const QString &name, int column)
{
    const QModelIndex found = index(page, name, column);
    return found.isValid() ? found.data().toString() : QStringLiteral("<no row %1>").arg(name);
}

/// Opens the Accounts page and clicks the row of account @p name.
bool select(ConsoleHarness &console, AccountsPage *page, const QString &name)
{
    if (!UserInput::openPage(console.window(), QStringLiteral("accounts")))
        return false;
    auto *table = console.find<QTableView>(QStringLiteral("accountsTable"));
    for (int row = 0; row < page->model().rowCount(); ++row)
        if (page->model().accountAt(row)->record.name == name)
            return UserInput::clickRow(*table, table->model()->index(row, AccountTableModel::Name));
    return false;
}

void click(ConsoleHarness &console, const char *objectName)
{
    QTest::mouseClick(console.find<QPushButton>(QString::fromLatin1(objectName)), Qt::LeftButton);
}

/// The upstream accepts only @p token (401 otherwise) and answers the usage endpoint.
/// The upstream serves @p token only; anything else is answered @p refusal (401: a bad credential).
void acceptOnly(ConsoleHarness &console, const QByteArray &token, int refusal = 401)
{
    console.upstream().setHandler([token, refusal](const Proxy::FakeUpstream::Request &request) {
        if (request.path == "/wham/usage")
            return Proxy::FakeUpstream::Reply::json({});
        if (request.headers.value("authorization") != "Bearer " + token)
            return Proxy::FakeUpstream::Reply::json(
                {{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), QStringLiteral("bad token")},
                                                       {QStringLiteral("code"), QStringLiteral("invalid_api_key")}}}},
                refusal);
        return Proxy::FakeUpstream::Reply::sse(
            Proxy::FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("hi")}, {5, 0, 2, 0, 7}));
    });
}

QByteArray createKey(ConsoleHarness &console)
{
    const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets()).create(QStringLiteral("t"));
    console.runtime().publishKeys();
    return key ? key.value().plaintext.toUtf8() : QByteArray();
}

/// Makes the store notice this test's database writes now. Its poll would reload the pool up to 250 ms
/// later, and a reload forgets a failed refresh (needs-reauth lasts until accounts are applied again).
void settle(ConsoleHarness &console)
{
    Core::StoreWorker *worker = console.runtime().store().worker();
    QMetaObject::invokeMethod(worker, [worker] { worker->checkForChanges(); }, Qt::BlockingQueuedConnection);
    QCoreApplication::processEvents(); // the reload it asked for
}

void setTokenThroughDialog(ConsoleHarness &console, AccountsPage *page, const QString &name, const QString &token)
{
    QVERIFY(select(console, page, name));
    console.dialogs().onNextDialog([token](QDialog &dialog) {
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountToken")), token);
        return int(QDialog::Accepted);
    });
    click(console, "accountsSetToken");
}

} // namespace

class tst_AccountsPage final : public QObject
{
    Q_OBJECT

private slots:
    void defaultAccountListed_addOpenAIThroughDialog()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("accounts")));
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        QVERIFY(page);
        QCOMPARE(cell(page, QStringLiteral("default"), AccountTableModel::State), QStringLiteral("active"));
        QCOMPARE(cell(page, QStringLiteral("default"), AccountTableModel::Kind), QStringLiteral("OpenAI-compatible"));

        console.dialogs().onNextDialog([](QDialog &dialog) {
            QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountName")), QStringLiteral("backup"));
            QLineEdit *url = dialog.findChild<QLineEdit *>(QStringLiteral("accountBaseUrl"));
            url->clear();
            QTest::keyClicks(url, QStringLiteral("https://backup.example/v1"));
            QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountToken")), QStringLiteral("sk-backup-key"));
            return int(QDialog::Accepted);
        });
        click(console, "accountsAddOpenAI");
        QTRY_COMPARE(cell(page, QStringLiteral("backup"), AccountTableModel::Who), QStringLiteral("backup.example"));
        const auto record = Core::AccountService(console.runtime().database(), console.runtime().secrets())
                                .find(QStringLiteral("backup"));
        QCOMPARE(console.runtime().secrets().read(record.value().accessSecretName()).value, QByteArray("sk-backup-key"));
        QVERIFY(console.dialogs().unexpected().isEmpty());
    }

    void pauseResumeRemove()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        QVERIFY(select(console, page, QStringLiteral("default")));
        click(console, "accountsPause");
        QTRY_COMPARE(cell(page, QStringLiteral("default"), AccountTableModel::State), QStringLiteral("paused"));
        QVERIFY(select(console, page, QStringLiteral("default")));
        click(console, "accountsResume");
        QTRY_COMPARE(cell(page, QStringLiteral("default"), AccountTableModel::State), QStringLiteral("active"));
        QVERIFY(select(console, page, QStringLiteral("default")));
        console.dialogs().answerNextConfirm(true);
        click(console, "accountsRemove");
        QTRY_COMPARE(page->model().rowCount(), 0);
        QCOMPARE(console.runtime().secrets().read(QStringLiteral("upstream/token")).error, Core::SecretError::NotFound);
    }

    void importAuthJsonAndSetTokenOnNeedsReauth()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        const QString path = console.dataDir() + QStringLiteral("/auth.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"tokens\":{\"access_token\":\"at-gui\",\"refresh_token\":\"rt-gui\",\"account_id\":\"acct-gui\"}}");
        file.close();
        console.dialogs().answerNextFile(path);
        click(console, "accountsImport");
        QTRY_COMPARE(cell(page, QStringLiteral("chatgpt"), AccountTableModel::Kind), QStringLiteral("ChatGPT"));

        Core::AccountService service(console.runtime().database(), console.runtime().secrets());
        const qint64 id = service.find(QStringLiteral("chatgpt")).value().id;
        QVERIFY(service.markNeedsReauth(id, QStringLiteral("Refresh token was reused")).ok());
        console.runtime().publishConfig();
        QTRY_COMPARE(cell(page, QStringLiteral("chatgpt"), AccountTableModel::State),
                     QStringLiteral("needs re-auth: Refresh token was reused"));
        QVERIFY(select(console, page, QStringLiteral("chatgpt")));
        console.dialogs().onNextDialog([](QDialog &dialog) {
            QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountToken")), QStringLiteral("at-new"));
            return int(QDialog::Accepted);
        });
        click(console, "accountsSetToken");
        QTRY_COMPARE(cell(page, QStringLiteral("chatgpt"), AccountTableModel::State), QStringLiteral("active"));
    }

    void errorBackoff_shownThenClearedByNewToken()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        const QByteArray key = createKey(console);
        acceptOnly(console, "sk-the-right-one", 500); // the default account's upstream keeps failing
        for (int i = 0; i < 3; ++i)
            QCOMPARE(console.postResponses({{"x-api-key", key}}).status, 500);
        QTRY_VERIFY2(cell(page, QStringLiteral("default"), AccountTableModel::State)
                         .startsWith(u"backoff after 3 errors until "),
                     qPrintable(cell(page, QStringLiteral("default"), AccountTableModel::State)));
        const QModelIndex state = index(page, QStringLiteral("default"), AccountTableModel::State);
        QVERIFY(state.data(Qt::ForegroundRole).isValid()); // marked as unavailable
        QCOMPARE(state.data(Qt::ToolTipRole).toString(), QStringLiteral("Last error: HTTP 500 from the upstream"));

        setTokenThroughDialog(console, page, QStringLiteral("default"), QStringLiteral("sk-the-right-one"));
        QTRY_COMPARE(cell(page, QStringLiteral("default"), AccountTableModel::State), QStringLiteral("active"));
        QVERIFY(!index(page, QStringLiteral("default"), AccountTableModel::State).data(Qt::ForegroundRole).isValid());
        QCOMPARE(console.postResponses({{"x-api-key", key}}).status, 200);
    }

    void upstreamRefusesCredential_needsReauthShownThenClearedByNewToken()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        const QByteArray key = createKey(console);
        acceptOnly(console, "sk-the-right-one"); // 401: the default account's token is wrong
        QCOMPARE(console.postResponses({{"x-api-key", key}}).status, 502); // not the client's key: 502
        QTRY_COMPARE(cell(page, QStringLiteral("default"), AccountTableModel::State),
                     QStringLiteral("needs re-auth: HTTP 401 from the upstream"));
        setTokenThroughDialog(console, page, QStringLiteral("default"), QStringLiteral("sk-the-right-one"));
        QTRY_COMPARE(cell(page, QStringLiteral("default"), AccountTableModel::State), QStringLiteral("active"));
        QCOMPARE(console.postResponses({{"x-api-key", key}}).status, 200);
    }

    void refreshFailed_needsReauthShownThenClearedByNewToken()
    {
        Core::FakeOAuthServer oauth;
        oauth.setFailure(Core::FakeOAuthServer::Endpoint::Token, Core::FakeOAuthServer::Failure::ServerError);
        qputenv("KEYGATE_OAUTH_BASE_URL", oauth.baseUrl().toString().toUtf8());
        ConsoleHarness console;
        QVERIFY(console.start());
        qunsetenv("KEYGATE_OAUTH_BASE_URL");
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        const QByteArray key = createKey(console);
        // A ChatGPT account (refreshable) at the fake upstream, the only one routed to.
        Core::AccountService service(console.runtime().database(), console.runtime().secrets());
        Core::AccountTokens tokens;
        tokens.accessToken = QStringLiteral("at-expired");
        tokens.refreshToken = oauth.issueRefreshToken();
        tokens.email = QStringLiteral("user@example.com");
        tokens.chatgptAccountId = QStringLiteral("acct-fake-1");
        auto record = service.saveChatGptLogin(tokens, QStringLiteral("chatgpt"));
        QVERIFY(record.ok());
        record.value().baseUrl = console.upstream().baseUrl();
        QVERIFY(Core::AccountRepository(console.runtime().database().connection()).update(record.value()).ok());
        QVERIFY(service.setPaused(QStringLiteral("default"), true).ok());
        settle(console);
        acceptOnly(console, "at-new");

        // 401, then the refresh fails (the auth server answers 500): the running pool skips the account.
        QVERIFY(console.postResponses({{"x-api-key", key}}).status != 200);
        QTRY_COMPARE(cell(page, QStringLiteral("chatgpt"), AccountTableModel::State),
                     QStringLiteral("needs re-auth: token refresh failed"));
        QVERIFY(service.find(QStringLiteral("chatgpt")).value().state == Proxy::AccountState::Active); // not stored

        setTokenThroughDialog(console, page, QStringLiteral("chatgpt"), QStringLiteral("at-new"));
        QTRY_COMPARE(cell(page, QStringLiteral("chatgpt"), AccountTableModel::State), QStringLiteral("active"));
        QCOMPARE(console.postResponses({{"x-api-key", key}}).status, 200);
    }

    void signInWithBrowser_addsChatGptAccount()
    {
        Core::FakeOAuthServer oauth;
        qputenv("KEYGATE_OAUTH_BASE_URL", oauth.baseUrl().toString().toUtf8());
        qputenv("KEYGATE_OAUTH_CALLBACK_PORT", "0");
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        QNetworkAccessManager browser;
        console.dialogs().onNextDialog([&browser](QDialog &dialog) {
            auto *url = dialog.findChild<QLineEdit *>(QStringLiteral("loginUrl"));
            if (!QTest::qWaitFor([url] { return !url->text().isEmpty(); }, 5000))
                return int(QDialog::Rejected);
            // The browser: the auth server redirects to the console's callback server.
            QNetworkReply *reply = browser.get(QNetworkRequest(QUrl(url->text())));
            const bool done = QTest::qWaitFor([&dialog] { return dialog.result() == QDialog::Accepted; }, 10000);
            reply->abort();
            reply->deleteLater();
            return done ? int(QDialog::Accepted) : int(QDialog::Rejected);
        });
        click(console, "accountsSignIn");
        QTRY_COMPARE(cell(page, oauth.identity().email, AccountTableModel::Kind), QStringLiteral("ChatGPT"));
        QCOMPARE(cell(page, oauth.identity().email, AccountTableModel::Plan), oauth.identity().planType);
        QVERIFY(console.find<MessageBanner>(QStringLiteral("accountsBanner"))->text().startsWith(u"Signed in as"));
        qunsetenv("KEYGATE_OAUTH_BASE_URL");
        qunsetenv("KEYGATE_OAUTH_CALLBACK_PORT");
    }

    void signInWithDeviceCode_showsCodeThenAddsAccount()
    {
        Core::FakeOAuthServer oauth;
        oauth.setDeviceTiming(0.2, 30);
        oauth.setDevicePendingPolls(1);
        qputenv("KEYGATE_OAUTH_BASE_URL", oauth.baseUrl().toString().toUtf8());
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *page = qobject_cast<AccountsPage *>(console.window().page(QStringLiteral("accounts")));
        QString shownCode;
        console.dialogs().onNextDialog([&shownCode](QDialog &dialog) {
            auto *code = dialog.findChild<QLabel *>(QStringLiteral("loginUserCode"));
            if (QTest::qWaitFor([code] { return code->text().contains(u'-'); }, 5000))
                shownCode = code->text();
            const bool done = QTest::qWaitFor([&dialog] { return dialog.result() == QDialog::Accepted; }, 10000);
            return done ? int(QDialog::Accepted) : int(QDialog::Rejected);
        });
        click(console, "accountsSignInDevice");
        QTRY_COMPARE(cell(page, oauth.identity().email, AccountTableModel::Kind), QStringLiteral("ChatGPT"));
        QCOMPARE(shownCode, oauth.deviceUserCode());
        qunsetenv("KEYGATE_OAUTH_BASE_URL");
    }

    void routingChoiceIsStored()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *routing = console.find<QComboBox>(QStringLiteral("accountsRouting"));
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("accounts")));
        QVERIFY(UserInput::chooseItem(*routing, routing->findData(QStringLiteral("usage"))));
        const auto stored = Core::SettingsRepository(console.runtime().database().connection()).load();
        QVERIFY(stored.value().routing == Proxy::RoutingStrategy::Usage);
    }
};

QTEST_MAIN(tst_AccountsPage)
#include "tst_accountspage.moc"
