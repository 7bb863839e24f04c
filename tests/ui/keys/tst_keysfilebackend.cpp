// SPDX-License-Identifier: MIT
// With the secrets file as the backend, no text of the console says "keychain" (issue 13): the
// Keys page's Reveal and Delete tooltips and the delete question, the status bar's secrets label and
// the window's notice when the secret store fails.
#include "tests/ui/keys/KeysPageDriver.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/secrets/SecretStoreStatus.h"

#include "ui/common/MessageBanner.h"

#include <QLabel>
#include <QTest>
#include <QToolButton>

using namespace Console;

namespace {
constexpr auto FileBackend = "Keygate's secrets file";
}

class tst_KeysFileBackend final : public QObject
{
    Q_OBJECT

private slots:
    void keysPage_fileBackend_tooltipsAndDeleteQuestionNameTheFile()
    {
        ConsoleHarness console(QStringLiteral("file"));
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QVERIFY(!keys.createKey(QStringLiteral("laptop")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("laptop")));
        for (const char *button : {"revealKeyButton", "deleteKeyButton"}) {
            const QString tip = console.find<QToolButton>(QString::fromLatin1(button))->toolTip();
            QVERIFY2(!tip.contains(u"keychain", Qt::CaseInsensitive), qPrintable(tip));
            QVERIFY2(tip.contains(QLatin1String(FileBackend)), qPrintable(tip));
        }
        console.dialogs().answerNextConfirm(false);
        keys.click(QStringLiteral("deleteKeyButton"));
        QCOMPARE(console.dialogs().confirmTexts().size(), 1);
        const QString question = console.dialogs().confirmTexts().constFirst();
        QVERIFY2(!question.contains(u"keychain", Qt::CaseInsensitive), qPrintable(question));
        QVERIFY2(question.contains(QLatin1String(FileBackend)), qPrintable(question));
    }

    void statusBarAndNotice_fileBackend_nameTheFile()
    {
        ConsoleHarness console(QStringLiteral("file"));
        QVERIFY(console.start());
        auto *label = console.find<QLabel>(QStringLiteral("keychainState"));
        QVERIFY(!label->text().contains(u"keychain", Qt::CaseInsensitive));
        QVERIFY2(label->toolTip().contains(QLatin1String(FileBackend)), qPrintable(label->toolTip()));

        // The file cannot be written (a disk problem): the notice names the file, not a keychain.
        console.secretStatus().report(Core::SecretResult::failure(
            Core::SecretError::Unavailable, QStringLiteral("the secrets file cannot be written")));
        auto &banner = console.window().banner();
        QTRY_VERIFY(banner.isVisible());
        QVERIFY2(!banner.text().contains(u"keychain", Qt::CaseInsensitive), qPrintable(banner.text()));
        QVERIFY2(banner.text().contains(QLatin1String(FileBackend)), qPrintable(banner.text()));
        QVERIFY(!label->text().contains(u"keychain", Qt::CaseInsensitive));
        QVERIFY2(label->toolTip().contains(QLatin1String(FileBackend)), qPrintable(label->toolTip()));
    }
};

QTEST_MAIN(tst_KeysFileBackend)
#include "tst_keysfilebackend.moc"
