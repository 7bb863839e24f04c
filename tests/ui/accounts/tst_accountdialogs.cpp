// SPDX-License-Identifier: MIT
// Texts and mnemonics of the account dialogs, opened from the Accounts page with the mouse: the
// token note names the real secret backend, and "&Callback URL" is a working mnemonic; the company CA
// field of an OpenAI-compatible account, filled with Browse or typed, is stored with the account.
#include "app/core/services/AccountService.h"
#include "tests/support/TestPki.h"
#include "tests/ui/support/ConsoleHarness.h"
#include "ui/common/MessageBanner.h"

#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

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

/// Fills the Add OpenAI-compatible dialog (name "corp", an https base URL, a key) and runs @p caField
/// on it before OK; the dialog's result is Accepted.
void addCorpAccount(ConsoleHarness &console, const std::function<void(QDialog &)> &caField)
{
    console.window().showPage(QStringLiteral("accounts"));
    console.dialogs().onNextDialog([&caField](QDialog &dialog) {
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountName")), QStringLiteral("corp"));
        QLineEdit *url = dialog.findChild<QLineEdit *>(QStringLiteral("accountBaseUrl"));
        url->selectAll();
        QTest::keyClicks(url, QStringLiteral("https://llm.corp.example/v1"));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountToken")), QStringLiteral("sk-corp"));
        caField(dialog);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("accountDialogOk")), Qt::LeftButton);
        return dialog.result();
    });
    QTest::mouseClick(console.find<QPushButton>(QStringLiteral("accountsAddOpenAI")), Qt::LeftButton);
}

} // namespace

class tst_AccountDialogs final : public QObject
{
    Q_OBJECT

private slots:
    void addOpenAI_caFileChosenWithBrowse_storedWithTheAccount()
    {
        TestSupport::TestPki pki;
        QString why;
        if (!pki.setUp(&why))
            QSKIP(qPrintable(why));
        ConsoleHarness console(QStringLiteral("file"));
        QVERIFY(console.start());
        QString shown;
        console.dialogs().answerNextFile(pki.caPath());
        addCorpAccount(console, [&shown](QDialog &dialog) {
            auto *browse = dialog.findChild<QPushButton *>(QStringLiteral("accountCaBrowse"));
            if (!browse || !browse->isVisible())
                return;
            QTest::mouseClick(browse, Qt::LeftButton);
            shown = dialog.findChild<QLineEdit *>(QStringLiteral("accountCaFile"))->text();
        });
        QCOMPARE(shown, pki.caPath());
        const auto record = Core::AccountService(console.runtime().database(), console.runtime().secrets())
                                .find(QStringLiteral("corp"));
        QVERIFY2(record, qPrintable(record.error()));
        QCOMPARE(QSslCertificate::fromData(record.value().caCertificatesPem, QSsl::Pem),
                 QList<QSslCertificate>{pki.ca()});
        QVERIFY(console.dialogs().unexpected().isEmpty());
    }

    void addOpenAI_typedCaPathNotPem_errorShownNothingAdded()
    {
        QTemporaryDir dir;
        QFile notPem(dir.filePath(QStringLiteral("ca.pem")));
        QVERIFY(notPem.open(QIODevice::WriteOnly));
        notPem.write("not a certificate\n");
        notPem.close();
        ConsoleHarness console(QStringLiteral("file"));
        QVERIFY(console.start());
        addCorpAccount(console, [&notPem](QDialog &dialog) {
            QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountCaFile")), notPem.fileName());
        });
        const QString banner = console.find<MessageBanner>(QStringLiteral("accountsBanner"))->text();
        QVERIFY2(banner.contains(u"Not added: cannot use the CA file " + notPem.fileName() + u": no PEM certificate"),
                 qPrintable(banner));
        QVERIFY(!Core::AccountService(console.runtime().database(), console.runtime().secrets())
                     .find(QStringLiteral("corp")));
    }

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
