// SPDX-License-Identifier: MIT
// Every Copy button gives the same feedback (issue 13): the Keys page's Copy, the secret dialog's
// Copy, each Copy of the connect-client snippets and the sign-in address's Copy read "Copied ✓"
// right after the click, put the text on the clipboard, and read "Copy" again after a moment.
#include "tests/ui/keys/KeysPageDriver.h"
#include "tests/ui/support/UserInput.h"

#include "ui/common/CopyFeedback.h"
#include "ui/keys/ConnectClientDialog.h"
#include "ui/keys/KeySecretDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace Console;

namespace {

constexpr int BackMs = int(CopyFeedback::Duration.count()) + 2000;

/// Clicks @p button; true when it then reads "Copied ✓" and the clipboard holds @p expected.
bool copiedWithFeedback(QAbstractButton *button, const QString &expected)
{
    if (!button || !button->isVisible())
        return false;
    QTest::mouseClick(button, Qt::LeftButton);
    return button->text() == CopyFeedback::copiedText() && QApplication::clipboard()->text() == expected;
}

} // namespace

class tst_CopyFeedback final : public QObject
{
    Q_OBJECT

private slots:
    void keysPageCopy_click_buttonSaysCopiedThenCopy()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const QString key = keys.createKey(QStringLiteral("laptop")).plaintext;
        QVERIFY(keys.select(QStringLiteral("laptop")));
        auto *copy = console.find<QToolButton>(QStringLiteral("copyKeyButton"));
        const QString own = copy->text();
        QVERIFY(copiedWithFeedback(copy, key));
        QTRY_COMPARE_WITH_TIMEOUT(copy->text(), own, BackMs);
    }

    void secretDialogCopy_click_buttonSaysCopiedThenCopy()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QString shown;
        bool copied = false;
        QString after;
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyNameEdit")),
                             QStringLiteral("ci"));
            QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk")), Qt::LeftButton);
            return dialog.result();
        });
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            shown = dialog.findChild<QLineEdit *>(QStringLiteral("keySecretEdit"))->text();
            auto *copy = dialog.findChild<QPushButton *>(QStringLiteral("keySecretCopyButton"));
            copied = copiedWithFeedback(copy, shown);
            if (QTest::qWaitFor([copy] { return copy->text() != CopyFeedback::copiedText(); }, BackMs))
                after = copy->text();
            dialog.reject();
            return dialog.result();
        });
        keys.click(QStringLiteral("newKeyButton"));
        QVERIFY(console.dialogs().unexpected().isEmpty());
        QVERIFY(shown.startsWith(u"sk-kg-"));
        QVERIFY(copied);
        QCOMPARE(after, QStringLiteral("&Copy"));
    }

    void connectClientCopies_eachClick_buttonSaysCopied()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QVERIFY(!keys.createKey(QStringLiteral("laptop")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("laptop")));
        QStringList failures;
        int checked = 0;
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            auto *tabs = dialog.findChild<QTabWidget *>(QStringLiteral("clientTabs"));
            for (int tab = 0; tab < tabs->count(); ++tab) {
                QTabBar *bar = tabs->tabBar();
                QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(tab).center());
                const QList<QPlainTextEdit *> snippets = tabs->widget(tab)->findChildren<QPlainTextEdit *>();
                for (QPlainTextEdit *snippet : snippets) {
                    const QString id = snippet->objectName().chopped(int(qstrlen("Snippet")));
                    auto *copy = dialog.findChild<QPushButton *>(id + QStringLiteral("CopyButton"));
                    ++checked;
                    if (!copiedWithFeedback(copy, snippet->toPlainText()))
                        failures << id;
                }
            }
            dialog.reject();
            return dialog.result();
        });
        keys.click(QStringLiteral("connectClientButton"));
        QVERIFY(console.dialogs().unexpected().isEmpty());
        QCOMPARE(checked, 6); // pi, codex, codexEnv, python, node, curl
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u", ")));
    }

    void signInAddressCopy_click_buttonSaysCopied()
    {
        qputenv("KEYGATE_OAUTH_CALLBACK_PORT", "0");
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("accounts")));
        QString url;
        bool copied = false;
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            auto *address = dialog.findChild<QLineEdit *>(QStringLiteral("loginUrl"));
            if (QTest::qWaitFor([address] { return !address->text().isEmpty(); }, 5000))
                url = address->text();
            copied = copiedWithFeedback(dialog.findChild<QPushButton *>(QStringLiteral("loginUrlCopyButton")),
                                        url);
            return int(QDialog::Rejected);
        });
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("accountsSignIn")), Qt::LeftButton);
        qunsetenv("KEYGATE_OAUTH_CALLBACK_PORT");
        QVERIFY(console.dialogs().unexpected().isEmpty());
        QVERIFY(url.startsWith(u"http"));
        QVERIFY(copied);
    }
};

QTEST_MAIN(tst_CopyFeedback)
#include "tst_copyfeedback.moc"
