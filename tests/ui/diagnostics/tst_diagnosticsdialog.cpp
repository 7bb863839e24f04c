// SPDX-License-Identifier: MIT
// Help → Diagnostics in the console (issue 16 §6): opened with the keyboard as a user does (Alt+H, D),
// it runs the same checks as `keygate doctor` against the console's own runtime, without blocking the
// window, shows them coloured by status, runs again (Alt+R) and copies the report (Alt+C).
#include "tests/ui/support/ConsoleHarness.h"

#include "app/core/diagnostics/DiagnosticReport.h"
#include "app/core/storage/SettingsRepository.h"
#include "ui/common/StatusColors.h"
#include "ui/diagnostics/DiagnosticsDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QTableWidget>
#include <QSignalSpy>
#include <QTest>

using namespace Console;

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

/// The upstream's answer to every request: a model list, dated @p offsetSeconds from now.
void answerDated(Proxy::FakeUpstream &upstream, int offsetSeconds)
{
    Proxy::FakeUpstream::Reply reply = Proxy::FakeUpstream::Reply::json(
        {{s("object"), s("list")}, {s("data"), QJsonArray{QJsonObject{{s("id"), s("gpt-test")}}}}});
    reply.headers.append("Date", QLocale::c()
                                     .toString(QDateTime::currentDateTimeUtc().addSecs(offsetSeconds),
                                               s("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
                                     .toLatin1());
    upstream.setDefaultReply(reply);
}

/// Row of check @p check in the dialog's table, or -1.
int rowOf(QTableWidget &table, const QString &check)
{
    for (int row = 0; row < table.rowCount(); ++row)
        if (table.item(row, 1) && table.item(row, 1)->text() == check)
            return row;
    return -1;
}

QString statusOf(QTableWidget &table, const QString &check)
{
    const int row = rowOf(table, check);
    return row < 0 ? QString() : table.item(row, 0)->text();
}

} // namespace

class tst_DiagnosticsDialog final : public QObject
{
    Q_OBJECT

private slots:
    void helpDiagnostics_keyboard_showsColouredRowsRunsAgainAndCopies()
    {
        ConsoleHarness console(s("file"));
        QVERIFY(console.start());
        answerDated(console.upstream(), 0);
        {
            QFile pricing(console.dataDir() + s("/pricing.json"));
            QVERIFY(pricing.open(QIODevice::WriteOnly));
            pricing.write(R"({"taken": ")" + QDate::currentDate().toString(Qt::ISODate).toLatin1()
                          + R"(", "models": {"t": {"input": 1, "cached_input": 0.1, "output": 2}}})");
        }
        // The listen setting names the port this console's proxy holds: ours, not a stranger's.
        QVERIFY(Core::SettingsRepository(console.runtime().database().connection())
                    .setListen(s("127.0.0.1:%1").arg(console.port())));

        MainWindow &window = console.window();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_H, Qt::AltModifier);
        QMenu *menu = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())); }));
        QCOMPARE(menu->objectName(), s("helpMenu"));
        QTest::keyClick(menu, Qt::Key_D);

        auto *dialog = window.findChild<DiagnosticsDialog *>(s("diagnosticsDialog"));
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        auto *table = dialog->findChild<QTableWidget *>(s("diagnosticsTable"));
        auto *runAgain = dialog->findChild<QPushButton *>(s("runAgainButton"));
        QVERIFY(table && runAgain);
        // Asynchronous: the menu returned while the checks still run (checked before any event is processed).
        QVERIFY(dialog->isRunning());
        QCOMPARE(table->rowCount(), 0);
        QVERIFY(!runAgain->isEnabled());
        QVERIFY(QTest::qWaitForWindowActive(dialog)); // its mnemonics (Alt+R, Alt+C) work from here
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning() && table->rowCount() > 0, 15000);

        const QString report = Core::DiagnosticReport::text(dialog->lines()).join(u'\n');
        for (const QString &check : {s("secret store"), s("database integrity"), s("database schema"),
                                     s("listen address"), s("account \"default\" token"),
                                     s("account \"default\" reachable"), s("clock"), s("pricing table")})
            QVERIFY2(statusOf(*table, check) == u"ok", qPrintable(check + s(" in\n") + report));
        const int listen = rowOf(*table, s("listen address"));
        QVERIFY2(table->item(listen, 2)->text().contains(s("pid %1").arg(QCoreApplication::applicationPid())),
                 qPrintable(table->item(listen, 2)->text()));
        QCOMPARE(table->item(listen, 0)->foreground().color(),
                 StatusColors::text(StatusColors::Status::Ok, table->palette()));
        QCOMPARE(dialog->findChild<QLabel *>(s("diagnosticsSummary"))->text(), s("Everything looks fine."));

        // The upstream's clock is now 10 minutes ahead: Run again (Alt+R) turns the clock row red.
        answerDated(console.upstream(), 600);
        QSignalSpy clicked(runAgain, &QPushButton::clicked);
        QSignalSpy finished(dialog, &DiagnosticsDialog::finished);
        QTest::keyClick(dialog, Qt::Key_R, Qt::AltModifier);
        QTRY_COMPARE(clicked.size(), 1); // a mnemonic animates the click first
        // The run may already be over here (the checks are quick on an idle machine): wait for its end.
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QVERIFY(!dialog->isRunning());
        QCOMPARE(statusOf(*table, s("clock")), s("fail"));
        const int clock = rowOf(*table, s("clock"));
        QCOMPARE(table->item(clock, 0)->foreground().color(),
                 StatusColors::text(StatusColors::Status::Error, table->palette()));
        QVERIFY(table->item(clock, 3)->text().contains(s("timedatectl")));
        QVERIFY(dialog->findChild<QLabel *>(s("diagnosticsSummary"))->text().contains(s("failed")));

        // Copy report (Alt+C): the text `keygate doctor` prints, fail line included.
        QApplication::clipboard()->clear();
        QTest::keyClick(dialog, Qt::Key_C, Qt::AltModifier);
        QTRY_VERIFY(!QApplication::clipboard()->text().isEmpty());
        const QString copied = QApplication::clipboard()->text();
        QCOMPARE(copied, Core::DiagnosticReport::text(dialog->lines()).join(u'\n') + u'\n');
        QVERIFY2(copied.contains(QRegularExpression(s("^fail  clock +\\d+ s behind"), QRegularExpression::MultilineOption)),
                 qPrintable(copied));
    }
};

QTEST_MAIN(tst_DiagnosticsDialog)
#include "tst_diagnosticsdialog.moc"
