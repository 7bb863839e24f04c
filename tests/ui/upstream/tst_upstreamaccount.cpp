// SPDX-License-Identifier: MIT
// The Upstream page names the account it shows and edits that one (issue 13, defect 3: it showed
// account "fake" and saving created an account "default", leaving "fake" broken). Driven with
// keyboard and mouse against the real runtime, secret store and proxy.
#include "tests/ui/support/ConsoleHarness.h"

#include "app/core/services/AccountService.h"
#include "app/core/services/KeyService.h"

#include "ui/common/MessageBanner.h"

#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace Console;

namespace {

/// Replaces a line edit's text as a user does: click, select all, type.
void retype(QLineEdit *edit, const QString &text)
{
    QTest::mouseClick(edit, Qt::LeftButton);
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, text);
}

QString fakeUrl(ConsoleHarness &console)
{
    return console.upstream().baseUrl().toString() + QStringLiteral("/v1");
}

} // namespace

class tst_UpstreamAccount final : public QObject
{
    Q_OBJECT

private slots:
    void save_onlyAccountFake_editsFakeCreatesNoDefault()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        Core::AccountService accounts(console.runtime().database(), console.runtime().secrets());
        QVERIFY(accounts.remove(QStringLiteral("default")).ok()); // the harness's upstream
        QVERIFY(accounts
                    .addOpenAI(QStringLiteral("fake"), QUrl(QStringLiteral("http://127.0.0.1:9/v1")),
                               "fake-token")
                    .ok());
        console.runtime().publishConfig();
        const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                             .create(QStringLiteral("client"));
        QVERIFY(key.ok());
        console.runtime().publishKeys();

        console.window().showPage(QStringLiteral("upstream"));
        QCOMPARE(console.find<QComboBox>(QStringLiteral("upstreamAccount"))->currentText(),
                 QStringLiteral("fake"));
        QVERIFY(console.find<QGroupBox>(QStringLiteral("upstreamCurrentBox"))->title().contains(u"fake"));
        QVERIFY(console.find<QGroupBox>(QStringLiteral("upstreamEditBox"))->title().contains(u"fake"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamBaseUrl"))->text(),
                 QStringLiteral("http://127.0.0.1:9/v1"));

        retype(console.find<QLineEdit>(QStringLiteral("upstreamBaseUrlEdit")), fakeUrl(console));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamSave")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("upstreamBanner"));
        QVERIFY2(banner->kind() == MessageBanner::Kind::Info, qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(u"fake"), qPrintable(banner->text()));

        const auto list = accounts.list();
        QVERIFY(list.ok());
        QCOMPARE(list.value().size(), 1);
        QCOMPARE(list.value().constFirst().record.name, QStringLiteral("fake"));
        QCOMPARE(list.value().constFirst().record.baseUrl.toString(), fakeUrl(console));
        QVERIFY(!accounts.find(QStringLiteral("default")).ok());
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamBaseUrl"))->text(), fakeUrl(console));
        // "fake" works: the proxy relays to its new URL with its own (kept) token.
        QCOMPARE(
            console.postResponses({{"Authorization", "Bearer " + key.value().plaintext.toUtf8()}}).status,
            200);
        QCOMPARE(console.upstream().lastRequest().headers.value("authorization"),
                 QByteArray("Bearer fake-token"));
    }

    void save_otherAccountChosenWithKeyboard_editsThatOneOnly()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        Core::AccountService accounts(console.runtime().database(), console.runtime().secrets());
        QVERIFY(accounts
                    .addOpenAI(QStringLiteral("fake"), QUrl(QStringLiteral("http://127.0.0.1:9/v1")),
                               "fake-token")
                    .ok());
        console.runtime().publishConfig();
        console.window().showPage(QStringLiteral("upstream"));
        auto *chooser = console.find<QComboBox>(QStringLiteral("upstreamAccount"));
        QCOMPARE(chooser->currentText(), QStringLiteral("default")); // what `keygate upstream show` shows
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamBaseUrl"))->text(), fakeUrl(console));

        QTest::keyClick(chooser, Qt::Key_Down);
        QCOMPARE(chooser->currentText(), QStringLiteral("fake"));
        auto *baseUrl = console.find<QLineEdit>(QStringLiteral("upstreamBaseUrlEdit"));
        QCOMPARE(baseUrl->text(), QStringLiteral("http://127.0.0.1:9/v1"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamBaseUrl"))->text(),
                 QStringLiteral("http://127.0.0.1:9/v1"));
        retype(baseUrl, QStringLiteral("http://127.0.0.1:10/v1"));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamSave")), Qt::LeftButton);

        QCOMPARE(accounts.find(QStringLiteral("fake")).value().baseUrl.toString(),
                 QStringLiteral("http://127.0.0.1:10/v1"));
        QCOMPARE(accounts.find(QStringLiteral("default")).value().baseUrl.toString(), fakeUrl(console));
        QCOMPARE(chooser->currentText(), QStringLiteral("fake")); // the page stays on the account it saved
        QCOMPARE(console.runtime()
                     .secrets()
                     .read(accounts.find(QStringLiteral("fake")).value().accessSecretName())
                     .value,
                 QByteArray("fake-token"));
    }

    void tokenState_fileBackend_saysSecretsFileNotKeychain()
    {
        ConsoleHarness console(QStringLiteral("file"));
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("upstream"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("upstreamTokenState"))->text(),
                 QStringLiteral("Stored in Keygate's secrets file"));
        const QWidget *page = console.window().page(QStringLiteral("upstream"));
        for (const QWidget *widget : page->findChildren<QWidget *>())
            QVERIFY2(!widget->toolTip().contains(u"keychain"), qPrintable(widget->toolTip()));
        for (const QLabel *label : page->findChildren<QLabel *>())
            QVERIFY2(!label->text().contains(u"keychain"), qPrintable(label->text()));
    }
};

QTEST_MAIN(tst_UpstreamAccount)
#include "tst_upstreamaccount.moc"
