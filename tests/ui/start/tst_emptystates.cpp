// SPDX-License-Identifier: MIT
// The empty states of the table pages, from an empty data directory: the sentence and the button
// are shown instead of a blank grid, the button runs the flow that fills the table, and the empty
// state goes with the first row.
#include "tests/ui/start/FirstRunDriver.h"
#include "tests/ui/support/UserInput.h"

#include <QAbstractItemView>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

using namespace Console;
using namespace Console::FirstRun;

namespace {

/// The empty state over table @p table, or nullptr.
QWidget *emptyState(ConsoleHarness &console, const QString &table)
{
    return console.find<QWidget>(table + QStringLiteral("EmptyState"));
}

QString sentence(QWidget *emptyState)
{
    const auto *label =
        emptyState ? emptyState->findChild<QLabel *>(QStringLiteral("emptyStateText")) : nullptr;
    return label && label->isVisible() ? label->text() : QString();
}

int rows(ConsoleHarness &console, const QString &table)
{
    const auto *view = console.find<QAbstractItemView>(table);
    return view ? view->model()->rowCount() : -1;
}

} // namespace

class tst_EmptyStates final : public QObject
{
    Q_OBJECT

private slots:
    void keys_noKeys_sentenceAndCreateButtonUntilTheFirstKey()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("keys")));
        QWidget *empty = emptyState(console, QStringLiteral("keyTable"));
        QCOMPARE(sentence(empty), QStringLiteral("No keys yet. Clients authenticate with a Keygate key."));

        console.dialogs().onNextDialog([](QDialog &dialog) {
            dialog.reject(); // Cancel: still no key
            return dialog.result();
        });
        QVERIFY(click(console.window(), QStringLiteral("keysEmptyCreateKey")));
        QCOMPARE(console.dialogs().dialogTitles(), QStringList{QStringLiteral("New key")});
        QVERIFY(empty->isVisible());

        QString key;
        expectKeyDialogs(console, QStringLiteral("laptop"), key);
        QVERIFY(click(console.window(), QStringLiteral("keysEmptyCreateKey")));
        QTRY_VERIFY(!empty->isVisible());
        QCOMPARE(rows(console, QStringLiteral("keyTable")), 1);

        // A filter that matches nothing is not "no keys".
        QTest::keyClicks(console.find<QLineEdit>(QStringLiteral("keyFilter")), QStringLiteral("no-such-key"));
        QCOMPARE(rows(console, QStringLiteral("keyTable")), 0);
        QVERIFY(!empty->isVisible());
        QCOMPARE(console.dialogs().unexpected(), QStringList());
    }

    void accounts_noAccounts_sentenceAndAddButtonsUntilTheFirstAccount()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("accounts")));
        QWidget *empty = emptyState(console, QStringLiteral("accountsTable"));
        QCOMPARE(sentence(empty),
                 QStringLiteral(
                     "No upstream accounts yet. Keygate forwards your clients' requests to one of them."));
        QVERIFY(console.find<QWidget>(QStringLiteral("accountsEmptySignIn"))->isVisible());

        console.dialogs().answerNextFile(QString()); // the file chooser, cancelled
        QVERIFY(click(console.window(), QStringLiteral("accountsEmptyImport")));
        QVERIFY(empty->isVisible());

        expectAccountDialog(console);
        QVERIFY(click(console.window(), QStringLiteral("accountsEmptyAddOpenAI")));
        QCOMPARE(console.dialogs().dialogTitles(),
                 QStringList{QStringLiteral("Add an OpenAI-compatible account")});
        QTRY_VERIFY(!empty->isVisible());
        QCOMPARE(rows(console, QStringLiteral("accountsTable")), 1);
        QCOMPARE(console.dialogs().unexpected(), QStringList());
    }

    void usage_noKeys_sentenceAndCreateButtonUntilAKeyIsCounted()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("usage")));
        QWidget *empty = emptyState(console, QStringLiteral("usageTable"));
        QCOMPARE(sentence(empty),
                 QStringLiteral("No keys yet. Requests and tokens are counted per key here."));

        QString key;
        expectKeyDialogs(console, QStringLiteral("laptop"), key);
        QVERIFY(click(console.window(), QStringLiteral("usageEmptyCreateKey")));
        QCOMPARE(console.dialogs().dialogTitles().value(0), QStringLiteral("New key"));
        QTRY_VERIFY(!empty->isVisible());
        QCOMPARE(rows(console, QStringLiteral("usageTable")), 1);
        QCOMPARE(console.dialogs().unexpected(), QStringList());
    }

    void trace_noRequests_connectButtonThenTheFirstRequestHidesIt()
    {
        ConsoleHarness console(QStringLiteral("file"), ConsoleHarness::DataDir::Empty);
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("trace")));
        QWidget *empty = emptyState(console, QStringLiteral("traceTable"));
        QCOMPARE(sentence(empty), QStringLiteral("No requests yet. Each request's auth decision, accepted or "
                                                 "refused and why, appears here."));

        // No key yet: the button creates one first, then shows the client snippets for it.
        QString key;
        expectKeyDialogs(console, QStringLiteral("laptop"), key);
        console.dialogs().onNextDialog([](QDialog &dialog) {
            dialog.reject();
            return dialog.result();
        });
        QVERIFY(click(console.window(), QStringLiteral("traceEmptyConnectClient")));
        QCOMPARE(console.dialogs().dialogTitles().value(2),
                 QStringLiteral("Connect a client with \"laptop\""));
        QVERIFY(empty->isVisible());

        QCOMPARE(console.postResponses(bearer(QStringLiteral("sk-kg-not-a-key"))).status, 401);
        QTRY_VERIFY(!empty->isVisible());
        QVERIFY(rows(console, QStringLiteral("traceTable")) >= 1);
        QCOMPARE(console.dialogs().unexpected(), QStringList());
    }
};

QTEST_MAIN(tst_EmptyStates)
#include "tst_emptystates.moc"
