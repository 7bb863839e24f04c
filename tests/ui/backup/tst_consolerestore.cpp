// SPDX-License-Identifier: MIT
// File → Restore… in the whole console, as a user runs it: the real composition root (AppController)
// on a data dir with key "alpha", a backup of another data dir with key "bravo" and its account token,
// the restore dialog typed into with the keyboard and mouse, then the reopened window: its Keys page,
// its banner, and its proxy answering real HTTP requests in front of a FakeUpstream.
#include "app/core/backup/BackupWriter.h"
#include "app/core/backup/DatabaseImage.h"
#include "app/core/runtime/ListenerRecord.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/KeyService.h"
#include "app/core/services/UpstreamService.h"
#include "app/core/storage/GetStartedRepository.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/gui/AppController.h"
#include "tests/support/FakeUpstream.h"
#include "tests/ui/support/ScriptedDialogService.h"
#include "ui/common/MessageBanner.h"
#include "ui/keys/KeyTableModel.h"
#include "ui/shell/MainWindow.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <utility>

using namespace Console;

namespace {

const QString Passphrase = QStringLiteral("tangerine lighthouse 42");

/// The console's window once it is shown, else null.
MainWindow *shownConsoleWindow()
{
    for (QWidget *widget : QApplication::topLevelWidgets())
        if (auto *window = qobject_cast<MainWindow *>(widget); window && window->isVisible())
            return window;
    return nullptr;
}

QStringList keyNames(MainWindow &window)
{
    QStringList names;
    if (auto *table = window.findChild<QTableView *>(QStringLiteral("keyTable")))
        for (int row = 0; row < table->model()->rowCount(); ++row)
            names.append(table->model()->index(row, KeyTableModel::Name).data().toString());
    return names;
}

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

/// Queues the answer to File → Restore…'s dialog: @p file and @p passphrase typed in, Check clicked.
void fillInRestore(ScriptedDialogService &dialogs, const QString &file, const QString &passphrase)
{
    dialogs.onNextDialog([file, passphrase](QDialog &dialog) {
        for (const auto &[name, text] : {std::pair(QStringLiteral("restoreFileEdit"), file),
                                         std::pair(QStringLiteral("passphraseEdit"), passphrase)}) {
            auto *edit = dialog.findChild<QLineEdit *>(name);
            QTest::mouseClick(edit, Qt::LeftButton);
            QTest::keyClicks(edit, text);
        }
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("checkButton")), Qt::LeftButton);
        return dialog.result();
    });
}

QStringList replacedCopies(const QString &dataDir)
{
    const QFileInfo info(dataDir);
    return info.dir().entryList({info.fileName() + QStringLiteral(".replaced-*")}, QDir::Dirs);
}

} // namespace

class tst_ConsoleRestore final : public QObject
{
    Q_OBJECT

private:
    /// A data dir as a user's looks after setup: the proxy on an ephemeral port, m_upstream as the
    /// OpenAI upstream with @p token, one key named @p keyName (returned). With @p backupFile, a
    /// backup with secrets is written there too.
    QString prepare(const QString &dataDir, const QString &keyName, const QByteArray &token,
                    const QString &backupFile = {})
    {
        Core::ProxyRuntime runtime(dataDir, QStringLiteral("keychain"));
        QUrl base = m_upstream.baseUrl();
        base.setPath(QStringLiteral("/v1"));
        const bool ready =
            runtime.open()
            && Core::SettingsRepository(runtime.database().connection()).setListen(QStringLiteral("127.0.0.1:0"))
            && Core::UpstreamService(runtime.database(), runtime.secrets())
                   .set(Proxy::UpstreamConfig::Kind::OpenAI, base, {}, token)
            && Core::GetStartedRepository(runtime.database().connection()).setDismissed(true);
        const auto key = ready ? Core::KeyService(runtime.database(), runtime.secrets()).create(keyName)
                               : Core::Result<Core::CreatedKey>::failure(QStringLiteral("setup failed"));
        if (!key)
            return {};
        if (!backupFile.isEmpty()
            && !Core::BackupWriter::write(dataDir, backupFile, &runtime.secrets(), Passphrase.toUtf8()))
            return {};
        return key.value().plaintext;
    }

    /// POSTs a Responses request with `x-api-key: @p key` to the console's proxy; the HTTP status.
    int post(const QString &dataDir, const QString &key)
    {
        const auto listener = Core::ListenerRecord::read(dataDir);
        if (!listener)
            return 0;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(listener->port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("x-api-key", key.toUtf8());
        QNetworkReply *reply =
            m_network.post(request, QByteArrayLiteral(R"({"model":"gpt-5.4","stream":true,"input":[]})"));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
            reply->abort();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    /// Runs the console on @p dataDir with @p dialogs: @p firstSession runs once its window is shown
    /// and, when given, @p nextSession once the next window is shown (after a restore); the console
    /// quits after the last one. Returns its exit code.
    int runConsole(ScriptedDialogService &dialogs, const QString &dataDir,
                   const std::function<void(MainWindow &)> &firstSession,
                   const std::function<void(MainWindow &)> &nextSession = {})
    {
        QPointer<MainWindow> last;
        int sessions = 0;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, this, [&] {
            // Only once the proxy listens: until then the session may be inside a nested event loop
            // (a keychain read while the proxy starts) that a script waiting here would hold up.
            MainWindow *window = shownConsoleWindow();
            if (!window || window == last || !Core::ListenerRecord::read(dataDir))
                return;
            last = window;
            if (++sessions == 1 && nextSession) {
                firstSession(*window); // ends with File → Restore…, which ends the session
                if (QTest::currentTestFailed())
                    QApplication::quit();
                return;
            }
            poll.stop();
            auto quit = qScopeGuard([] { QApplication::quit(); }); // also after a failed check
            (sessions == 1 ? firstSession : nextSession)(*window);
        });
        poll.start();
        return Gui::AppController({dataDir, QStringLiteral("keychain")}, dialogs).run();
    }

    Proxy::FakeUpstream m_upstream;
    QNetworkAccessManager m_network;

private slots:
    void initTestCase()
    {
        m_upstream.setReply("/v1/responses",
                            Proxy::FakeUpstream::Reply::sse(Proxy::FakeUpstream::responsesStream(
                                QStringLiteral("gpt-5.4"), {QStringLiteral("hi")}, {11, 3, 7, 2, 18})));
    }

    void restore_fromTheMenu_reopensOnTheRestoredData()
    {
        QTemporaryDir root;
        const QString dataDir = root.filePath(QStringLiteral("data"));
        const QString file = root.filePath(QStringLiteral("bravo.kgbackup"));
        const QString alpha = prepare(dataDir, QStringLiteral("alpha"), "token-a");
        const QString bravo = prepare(root.filePath(QStringLiteral("other")), QStringLiteral("bravo"), "token-b", file);
        QVERIFY(!alpha.isEmpty() && !bravo.isEmpty());
        ScriptedDialogService dialogs;
        fillInRestore(dialogs, file, Passphrase);
        dialogs.answerNextConfirm(true);

        bool checkedFirst = false;
        bool checkedNext = false;
        const int exitCode = runConsole(
            dialogs, dataDir,
            [&](MainWindow &window) {
                QTRY_COMPARE(keyNames(window), QStringList{QStringLiteral("alpha")});
                QTRY_COMPARE(post(dataDir, alpha), 200);
                checkedFirst = true;
                QVERIFY(clickFileMenuAction(window, QStringLiteral("restoreAction")));
            },
            [&](MainWindow &window) {
                QCOMPARE(window.banner().kind(), MessageBanner::Kind::Info);
                const QString banner = window.banner().text();
                QVERIFY2(banner.startsWith(QStringLiteral("Restored 1 keys, 1 accounts and 2 secrets.")),
                         qPrintable(banner));
                QCOMPARE(replacedCopies(dataDir).size(), 1);
                QVERIFY(window.banner().text().contains(root.filePath(replacedCopies(dataDir).constFirst())));
                QTRY_COMPARE(keyNames(window), QStringList{QStringLiteral("bravo")});
                QTRY_COMPARE(post(dataDir, bravo), 200);
                QCOMPARE(m_upstream.lastRequest().headers.value("authorization"), "Bearer token-b");
                QCOMPARE(post(dataDir, alpha), 401);
                checkedNext = true;
            });
        QVERIFY(checkedFirst && checkedNext);
        QCOMPARE(exitCode, 0);
        QCOMPARE(dialogs.unexpected(), QStringList());
        // The replaced copy is the old data dir, whole: key alpha and its account.
        const QString replaced = root.filePath(replacedCopies(dataDir).constFirst());
        auto image = Core::DatabaseImage::snapshot(Core::Database::fileName(replaced));
        QVERIFY2(image, qPrintable(image.error()));
        const auto summary = image.value()->summary();
        QVERIFY(summary && summary.value().keys == 1 && summary.value().accounts == 1);
    }

    void restore_wrongPassphrase_changesNothingAndKeepsRunning()
    {
        QTemporaryDir root;
        const QString dataDir = root.filePath(QStringLiteral("data"));
        const QString file = root.filePath(QStringLiteral("bravo.kgbackup"));
        const QString alpha = prepare(dataDir, QStringLiteral("alpha"), "token-a");
        QVERIFY(!prepare(root.filePath(QStringLiteral("other")), QStringLiteral("bravo"), "token-b", file).isEmpty());
        ScriptedDialogService dialogs;
        fillInRestore(dialogs, file, QStringLiteral("not the passphrase"));

        bool checked = false;
        const int exitCode = runConsole(dialogs, dataDir, [&](MainWindow &window) {
            QTRY_COMPARE(post(dataDir, alpha), 200);
            QVERIFY(clickFileMenuAction(window, QStringLiteral("restoreAction")));
            QCOMPARE(window.banner().kind(), MessageBanner::Kind::Error);
            QVERIFY2(window.banner().text().contains(QStringLiteral("wrong passphrase")),
                     qPrintable(window.banner().text()));
            QCOMPARE(shownConsoleWindow(), &window); // the same session goes on
            QCOMPARE(post(dataDir, alpha), 200);
            QCOMPARE(m_upstream.lastRequest().headers.value("authorization"), "Bearer token-a");
            QCOMPARE(keyNames(window), QStringList{QStringLiteral("alpha")});
            QVERIFY(replacedCopies(dataDir).isEmpty());
            checked = true;
        });
        QVERIFY(checked);
        QCOMPARE(exitCode, 0);
        QVERIFY(dialogs.confirmTexts().isEmpty());
        QCOMPARE(dialogs.unexpected(), QStringList());
    }

    void restore_failingMidway_reopensOnTheOldData()
    {
        QTemporaryDir root;
        const QString dataDir = root.filePath(QStringLiteral("data"));
        const QString file = root.filePath(QStringLiteral("bravo.kgbackup"));
        const QString alpha = prepare(dataDir, QStringLiteral("alpha"), "token-a");
        const QString bravo = prepare(root.filePath(QStringLiteral("other")), QStringLiteral("bravo"), "token-b", file);
        QVERIFY(!alpha.isEmpty() && !bravo.isEmpty());
        // A file that cannot be moved, named to come last: the database has moved aside when the move fails.
        const QString pinned = QDir(dataDir).filePath(QStringLiteral("zz-pinned"));
        QFile pin(pinned);
        QVERIFY(pin.open(QIODevice::WriteOnly));
        pin.close();
        if (QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), pinned}) != 0)
            QSKIP("needs chattr +i (root, on a file system with the immutable flag)");
        const auto unpin = qScopeGuard(
            [&pinned] { QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), pinned}); });
        ScriptedDialogService dialogs;
        fillInRestore(dialogs, file, Passphrase);
        dialogs.answerNextConfirm(true);

        bool checked = false;
        const int exitCode = runConsole(
            dialogs, dataDir,
            [&](MainWindow &window) {
                QTRY_COMPARE(post(dataDir, alpha), 200);
                QVERIFY(clickFileMenuAction(window, QStringLiteral("restoreAction")));
            },
            [&](MainWindow &window) {
                QCOMPARE(window.banner().kind(), MessageBanner::Kind::Error);
                QVERIFY2(window.banner().text().contains(QStringLiteral("zz-pinned"))
                             && window.banner().text().contains(QStringLiteral("the data dir is as it was")),
                         qPrintable(window.banner().text()));
                QTRY_COMPARE(keyNames(window), QStringList{QStringLiteral("alpha")});
                QTRY_COMPARE(post(dataDir, alpha), 200);
                QCOMPARE(m_upstream.lastRequest().headers.value("authorization"), "Bearer token-a");
                QCOMPARE(post(dataDir, bravo), 401);
                QVERIFY(replacedCopies(dataDir).isEmpty());
                checked = true;
            });
        QVERIFY(checked);
        QCOMPARE(exitCode, 0);
    }
};

QTEST_MAIN(tst_ConsoleRestore)
#include "tst_consolerestore.moc"
