// SPDX-License-Identifier: MIT
// The Accounts page and the tray say the same about the pool (issue 13): an account that reported no
// quota is "unknown" in both, never "100 %" left; and the host column keeps the upstream's port.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "ui/accounts/AccountTableModel.h"
#include "ui/tray/TrayController.h"

#include <QAction>
#include <QMenu>
#include <QTableView>
#include <QTest>

using namespace Console;

namespace {

QString accountCell(ConsoleHarness &console, const QString &name, int column)
{
    const QAbstractItemModel *model = console.find<QTableView>(QStringLiteral("accountsTable"))->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, AccountTableModel::Name).data().toString() == name)
            return model->index(row, column).data().toString();
    return {};
}

QString poolLine(TrayController &tray)
{
    emit tray.menu()->aboutToShow();
    const QList<QAction *> actions = tray.menu()->actions();
    for (const QAction *action : actions)
        if (action->text().startsWith(u"Pool: "))
            return action->text();
    return {};
}

} // namespace

class tst_AccountsWords final : public QObject
{
    Q_OBJECT

private slots:
    void trayPool_quotaNotReported_unknownAsOnAccountsPage()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        // The fake OpenAI-compatible upstream sends no quota headers.
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("accounts")));
        TrayController tray(console.context(), console.window());
        const QString quota = accountCell(console, QStringLiteral("default"), AccountTableModel::Quota);
        QCOMPARE(quota, QStringLiteral("unknown"));
        const QString pool = poolLine(tray);
        QVERIFY2(pool.contains(QStringLiteral("quota: %1").arg(quota)), qPrintable(pool));
        QVERIFY2(!pool.contains(u"100"), qPrintable(pool));
    }

    void accountsHostColumn_upstreamWithPort_showsHostAndPort()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("accounts")));
        const QUrl upstream = console.upstream().baseUrl();
        QVERIFY(upstream.port() > 0);
        QCOMPARE(accountCell(console, QStringLiteral("default"), AccountTableModel::Who),
                 QStringLiteral("%1:%2").arg(upstream.host()).arg(upstream.port()));
    }
};

QTEST_MAIN(tst_AccountsWords)
#include "tst_accountswords.moc"
