// SPDX-License-Identifier: MIT
// Texts and mnemonics of the account dialogs, opened from the Accounts page with the mouse: the
// token note names the real secret backend, and "&Callback URL" is a working mnemonic.
#include "tests/ui/support/ConsoleHarness.h"

#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace Console;

namespace {

/// Clicks the row of account @p name in the Accounts table.
bool clickAccount(ConsoleHarness &console, const QString &name)
{
    auto *table = console.find<QTableView>(QStringLiteral("accountsTable"));
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex index = table->model()->index(row, 0);
        if (index.data().toString() != name)
            continue;
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        return true;
    }
    return false;
}

/// The note the Set token dialog shows for the harness's "default" account.
QString setTokenNote(ConsoleHarness &console)
{
    console.window().showPage(QStringLiteral("accounts"));
    if (!clickAccount(console, QStringLiteral("default")))
        return QStringLiteral("<no row default>");
    QString note;
    console.dialogs().onNextDialog([&note](QDialog &dialog) {
        note = dialog.findChild<QLabel *>(QStringLiteral("accountTokenNote"))->text();
        return int(QDialog::Rejected);
    });
    QTest::mouseClick(console.find<QPushButton>(QStringLiteral("accountsSetToken")), Qt::LeftButton);
    return note;
}

} // namespace

class tst_AccountDialogs final : public QObject
{
    Q_OBJECT

private slots:
    void setToken_fileBackend_noteNamesTheSecretsFile()
    {
        ConsoleHarness console(QStringLiteral("file"));
        QVERIFY(console.start());
        const QString note = setTokenNote(console);
        QVERIFY2(note.contains(u"Keygate's secrets file"), qPrintable(note));
        QVERIFY2(!note.contains(u"keychain"), qPrintable(note));
        QVERIFY(console.dialogs().unexpected().isEmpty());
    }

    void setToken_keychainBackend_noteNamesTheKeychain()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const QString note = setTokenNote(console);
        QVERIFY2(note.contains(u"your keychain"), qPrintable(note));
    }

    void signIn_altC_focusesTheCallbackUrlField()
    {
        qputenv("KEYGATE_OAUTH_CALLBACK_PORT", "0");
        ConsoleHarness console;
        QVERIFY(console.start());
        console.window().showPage(QStringLiteral("accounts"));
        bool buddy = false;
        bool focused = false;
        QString typed;
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            auto *label = dialog.findChild<QLabel *>(QStringLiteral("loginPastedUrlLabel"));
            auto *paste = dialog.findChild<QLineEdit *>(QStringLiteral("loginPastedUrl"));
            buddy = label && label->buddy() == paste; // with a buddy the "&" is a mnemonic, not a character
            if (!buddy || !QTest::qWaitForWindowActive(&dialog))
                return int(QDialog::Rejected);
            QTest::keyClick(&dialog, Qt::Key_C, Qt::AltModifier);
            focused = QTest::qWaitFor([paste] { return paste->hasFocus(); }, 2000);
            QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("http://x"));
            typed = paste->text();
            return int(QDialog::Rejected);
        });
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("accountsSignIn")), Qt::LeftButton);
        qunsetenv("KEYGATE_OAUTH_CALLBACK_PORT");
        QVERIFY(buddy);
        QVERIFY(focused);
        QCOMPARE(typed, QStringLiteral("http://x"));
    }
};

QTEST_MAIN(tst_AccountDialogs)
#include "tst_accountdialogs.moc"
