// SPDX-License-Identifier: MIT
// The Keys page's actions follow the row the user selects with the mouse, and keep following it
// through traffic and reloads (issue 13: a click greyed every key action out).
#include "tests/ui/keys/KeysPageDriver.h"

#include "app/core/services/KeyService.h"

#include "ui/common/LimitBarsView.h"

#include <QAction>
#include <QGroupBox>
#include <QLineEdit>
#include <QTableView>
#include <QTest>

using namespace Console;

namespace {

const QStringList KeyActions = {QStringLiteral("revealKeyAction"),     QStringLiteral("copyKeyAction"),
                                QStringLiteral("editKeyAction"),       QStringLiteral("toggleKeyAction"),
                                QStringLiteral("regenerateKeyAction"), QStringLiteral("deleteKeyAction"),
                                QStringLiteral("connectClientAction")};

/// The key actions that are greyed out (empty when all of them can be used).
QStringList disabledActions(const KeysPage &page)
{
    QStringList disabled;
    for (const QString &name : KeyActions)
        if (!page.findChild<QAction *>(name)->isEnabled())
            disabled << name;
    return disabled;
}

} // namespace

class tst_KeysSelection final : public QObject
{
    Q_OBJECT

private slots:
    void mouseClickOnRow_enablesKeyActionsAndShowsItsLimits()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const QString plaintext = keys.createKey(QStringLiteral("clicked")).plaintext;
        keys.createKey(QStringLiteral("other")); // the page selects the key it just created
        auto *view = keys.page().findChild<QTableView *>(QStringLiteral("keyTable"));
        QModelIndex index;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            if (view->model()->index(row, KeyTableModel::Name).data().toString() == u"clicked")
                index = view->model()->index(row, KeyTableModel::Requests);
        QVERIFY(index.isValid());

        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        const qint64 id = keys.idOf(QStringLiteral("clicked"));
        auto *limits = keys.page().findChild<QGroupBox *>(QStringLiteral("keyLimitsBox"));
        QVERIFY2(disabledActions(keys.page()).isEmpty(), qPrintable(disabledActions(keys.page()).join(u' ')));
        QCOMPARE(limits->title(), QStringLiteral("Limits of clicked"));
        QCOMPARE(keys.page().limitBars().keyId(), id);

        // Traffic updates the row; the selection and the actions stay.
        QCOMPARE(console.postResponses({{"x-api-key", plaintext.toUtf8()}}).status, 200);
        QTRY_COMPARE(keys.model().requestsAt(keys.rowOf(QStringLiteral("clicked"))), 1);
        QVERIFY2(disabledActions(keys.page()).isEmpty(), qPrintable(disabledActions(keys.page()).join(u' ')));
        QCOMPARE(keys.page().limitBars().keyId(), id);

        // A reload (a key created elsewhere) keeps them too.
        QVERIFY(Core::KeyService(console.runtime().database(), console.runtime().secrets())
                    .create(QStringLiteral("elsewhere"))
                    .ok());
        console.runtime().publishKeys();
        QTRY_VERIFY(keys.rowOf(QStringLiteral("elsewhere")) >= 0);
        QVERIFY2(disabledActions(keys.page()).isEmpty(), qPrintable(disabledActions(keys.page()).join(u' ')));
        QCOMPARE(limits->title(), QStringLiteral("Limits of clicked"));

        // And the actions act on the clicked key.
        keys.click(QStringLiteral("toggleKeyButton"));
        QVERIFY(!keys.model().keyAt(keys.rowOf(QStringLiteral("clicked"))).enabled);
        QVERIFY(keys.model().keyAt(keys.rowOf(QStringLiteral("other"))).enabled);
        QCOMPARE(console.postResponses({{"x-api-key", plaintext.toUtf8()}}).status, 401);
    }

    void filterHidesSelectedRow_actionsFollowTheRowShownSelected()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        keys.createKey(QStringLiteral("hidden-soon"));
        keys.createKey(QStringLiteral("stays"));
        QVERIFY(keys.select(QStringLiteral("hidden-soon")));
        auto *filter = keys.page().findChild<QLineEdit *>(QStringLiteral("keyFilter"));
        QTest::keyClicks(filter, QStringLiteral("stays"));
        QCOMPARE(keys.visibleRows(), 1);
        // The view moves the selection to the row left; the actions and the limits go with it.
        auto *view = keys.page().findChild<QTableView *>(QStringLiteral("keyTable"));
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(keys.page().limitBars().keyId(), keys.idOf(QStringLiteral("stays")));
        QVERIFY(disabledActions(keys.page()).isEmpty());

        QTest::keyClicks(filter, QStringLiteral("-nothing-matches"));
        QCOMPARE(keys.visibleRows(), 0);
        QCOMPARE(disabledActions(keys.page()), KeyActions);
        QCOMPARE(keys.page().limitBars().keyId(), 0);
        QCOMPARE(keys.page().findChild<QGroupBox *>(QStringLiteral("keyLimitsBox"))->title(),
                 QStringLiteral("Limits"));
    }
};

QTEST_MAIN(tst_KeysSelection)
#include "tst_keysselection.moc"
