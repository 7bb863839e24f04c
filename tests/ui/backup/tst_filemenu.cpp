// SPDX-License-Identifier: MIT
// File → Back up… and File → Restore… driven with the mouse and keyboard in the real console (real
// runtime, keychain and proxy): the backup holds the key and the account token, sealed; the restore
// check refuses a wrong passphrase and a damaged file, and hands the verified backup to the session's
// owner only once the user confirms (tst_consolerestore runs the restore itself, in the whole app).
#include "app/core/backup/BackupReader.h"
#include "app/core/backup/BackupWriter.h"
#include "app/core/services/KeyService.h"
#include "tests/ui/support/ConsoleHarness.h"
#include "ui/common/MessageBanner.h"

#include <QCheckBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace Console;

namespace {

const QString Passphrase = QStringLiteral("tangerine lighthouse 42");

/// Opens File in the menu bar with a click and clicks the action named @p actionName.
bool clickFileMenuAction(MainWindow &window, const QString &actionName)
{
    QMenuBar *bar = window.menuBar();
    auto *menu = window.findChild<QMenu *>(QStringLiteral("fileMenu"));
    auto *action = window.findChild<QAction *>(actionName);
    if (!menu || !action)
        return false;
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->actionGeometry(menu->menuAction()).center());
    if (!QTest::qWaitFor([menu] { return menu->isVisible(); }, 5000))
        return false;
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
    return true;
}

void typeInto(QDialog &dialog, const QString &objectName, const QString &text)
{
    auto *edit = dialog.findChild<QLineEdit *>(objectName);
    QVERIFY2(edit, qPrintable(objectName));
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

} // namespace

class tst_FileMenu final : public QObject
{
    Q_OBJECT

private:
    QString createKey(ConsoleHarness &console)
    {
        const auto created = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                                 .create(QStringLiteral("laptop"));
        console.runtime().publishKeys();
        return created ? created.value().plaintext : QString();
    }

private slots:
    void backUp_withSecretsFromTheMenu_fileHoldsKeyAndTokenSealed()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const QString key = createKey(console);
        QVERIFY(!key.isEmpty());
        QTRY_COMPARE(console.postResponses({{"x-api-key", key.toUtf8()}}).status, 200);
        QTemporaryDir out;
        const QString file = out.filePath(QStringLiteral("console.kgbackup"));

        bool refusedMismatch = false;
        console.dialogs().onNextDialog([&](QDialog &dialog) {
            typeInto(dialog, QStringLiteral("backupFileEdit"), file);
            QTest::mouseClick(dialog.findChild<QCheckBox *>(QStringLiteral("withSecretsCheckBox")), Qt::LeftButton);
            typeInto(dialog, QStringLiteral("passphraseEdit"), Passphrase);
            typeInto(dialog, QStringLiteral("repeatPassphraseEdit"), Passphrase + u'x');
            auto *backUp = dialog.findChild<QPushButton *>(QStringLiteral("backupButton"));
            refusedMismatch = !backUp->isEnabled();
            QTest::keyClick(dialog.findChild<QLineEdit *>(QStringLiteral("repeatPassphraseEdit")), Qt::Key_Backspace);
            QTest::mouseClick(backUp, Qt::LeftButton);
            return dialog.result();
        });
        QVERIFY(clickFileMenuAction(console.window(), QStringLiteral("backupAction")));
        QCOMPARE(console.dialogs().dialogTitles(), QStringList{QStringLiteral("Back up Keygate")});
        QVERIFY(refusedMismatch);
        QTRY_VERIFY(console.window().banner().text().startsWith(QStringLiteral("Backed up 1 keys")));
        QVERIFY(console.window().banner().text().contains(QStringLiteral("secrets encrypted")));

        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray raw = written.readAll();
        QVERIFY(!raw.contains(key.toUtf8()) && !raw.contains("upstream-token"));
        auto read = Core::BackupReader::read(file);
        QVERIFY2(read, qPrintable(read.error()));
        QVERIFY(!Core::BackupReader::verify(read.value(), QByteArray("wrong")));
        const auto verified = Core::BackupReader::verify(read.value(), Passphrase.toUtf8());
        QVERIFY2(verified, qPrintable(verified.error()));
        QByteArrayList values;
        for (const Core::SecretEntry &entry : verified.value()->secrets.entries())
            values.append(entry.value);
        QVERIFY(values.contains(key.toUtf8()));
        QVERIFY(values.contains("upstream-token"));
        QCOMPARE(verified.value()->database.keys, 1);
        QCOMPARE(console.dialogs().unexpected(), QStringList());
    }

    void restore_fromTheMenu_refusesWrongPassphraseThenHandsOverTheVerifiedBackup()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(!createKey(console).isEmpty());
        QTemporaryDir out;
        const QString file = out.filePath(QStringLiteral("it's.kgbackup"));
        QVERIFY(Core::BackupWriter::write(console.dataDir(), file, &console.runtime().secrets(), Passphrase.toUtf8()));

        const auto fillIn = [&](const QString &passphrase) {
            console.dialogs().onNextDialog([&file, passphrase](QDialog &dialog) {
                typeInto(dialog, QStringLiteral("restoreFileEdit"), file);
                typeInto(dialog, QStringLiteral("passphraseEdit"), passphrase);
                QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("checkButton")), Qt::LeftButton);
                return dialog.result();
            });
        };
        fillIn(QStringLiteral("not the passphrase"));
        QVERIFY(clickFileMenuAction(console.window(), QStringLiteral("restoreAction")));
        QCOMPARE(console.window().banner().kind(), MessageBanner::Kind::Error);
        QVERIFY2(console.window().banner().text().contains(QStringLiteral("wrong passphrase")),
                 qPrintable(console.window().banner().text()));
        QCOMPARE(console.dialogs().confirmTexts(), QStringList());
        QVERIFY(console.restoreRequests().isEmpty());

        fillIn(Passphrase);
        console.dialogs().answerNextConfirm(false);
        QVERIFY(clickFileMenuAction(console.window(), QStringLiteral("restoreAction")));
        QCOMPARE(console.dialogs().confirmTexts().size(), 1);
        const QString text = console.dialogs().confirmTexts().constFirst();
        QVERIFY2(text.contains(QStringLiteral("1 keys, 1 accounts and 2 secrets")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Restore now?")), qPrintable(text));
        QVERIFY2(text.contains(QDir::toNativeSeparators(console.dataDir()) + QStringLiteral(".replaced-<time>")),
                 qPrintable(text));
        QVERIFY(console.restoreRequests().isEmpty()); // declined: nothing happens
        QVERIFY(console.runtime().state() == Core::ProxyRuntime::State::Listening);

        fillIn(Passphrase);
        console.dialogs().answerNextConfirm(true);
        QVERIFY(clickFileMenuAction(console.window(), QStringLiteral("restoreAction")));
        QCOMPARE(console.restoreRequests().size(), 1);
        const Core::VerifiedBackup &handed = *console.restoreRequests().constFirst();
        QCOMPARE(handed.database.keys, 1);
        QCOMPARE(handed.secrets.size(), qsizetype(2));

        QFile damaged(file);
        QVERIFY(damaged.open(QIODevice::ReadWrite));
        damaged.resize(damaged.size() - 7);
        damaged.close();
        fillIn(Passphrase);
        QVERIFY(clickFileMenuAction(console.window(), QStringLiteral("restoreAction")));
        QCOMPARE(console.window().banner().kind(), MessageBanner::Kind::Error);
        QVERIFY(console.window().banner().text().contains(QStringLiteral("damaged")));
        QCOMPARE(console.dialogs().unexpected(), QStringList());
    }
};

QTEST_MAIN(tst_FileMenu)
#include "tst_filemenu.moc"
