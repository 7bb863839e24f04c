// SPDX-License-Identifier: MIT
// The auth trace page's filters, driven with the mouse against the real proxy: the detail pane never
// keeps showing a decision the filter hides, and the source filter says that it means "accepted
// from" a header (issue 13).
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyService.h"

#include "ui/trace/AuthTraceModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace Console;

namespace {

struct Fixture final
{
    ConsoleHarness console;
    QTableView *table = nullptr;
    QTextBrowser *detail = nullptr;
    QByteArray key;

    bool start()
    {
        if (!console.start() || !UserInput::openPage(console.window(), QStringLiteral("trace")))
            return false;
        table = console.find<QTableView>(QStringLiteral("traceTable"));
        detail = console.find<QTextBrowser>(QStringLiteral("traceDetail"));
        const auto created = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                                 .create(QStringLiteral("laptop"));
        if (!created)
            return false;
        console.runtime().publishKeys();
        key = created.value().plaintext.toUtf8();
        return table && detail;
    }
    /// The row whose outcome column reads @p outcome, -1 when none is shown.
    int rowWithOutcome(const QString &outcome) const
    {
        for (int row = 0; row < table->model()->rowCount(); ++row)
            if (table->model()->index(row, AuthTraceModel::OutcomeColumn).data().toString() == outcome)
                return row;
        return -1;
    }
};

} // namespace

class tst_TraceFilterDetail final : public QObject
{
    Q_OBJECT

private slots:
    void deniedOnly_selectedAcceptedRowHidden_detailCleared()
    {
        Fixture f;
        QVERIFY(f.start());
        QCOMPARE(f.console.postResponses({{"x-api-key", f.key}}).status, 200);
        QCOMPARE(f.console.postResponses({{"x-api-key", "sk-kg-not-a-key"}}).status, 401);
        QTRY_COMPARE(f.table->model()->rowCount(), 2);

        const int accepted = f.rowWithOutcome(QStringLiteral("accepted"));
        QVERIFY(UserInput::clickRow(*f.table, f.table->model()->index(accepted, 0)));
        QTRY_VERIFY(f.detail->toPlainText().contains(u"laptop"));

        auto *deniedOnly = f.console.find<QCheckBox>(QStringLiteral("traceDeniedOnly"));
        QTest::mouseClick(deniedOnly, Qt::LeftButton, {}, QPoint(8, deniedOnly->height() / 2));
        QVERIFY(deniedOnly->isChecked());
        QCOMPARE(f.table->model()->rowCount(), 1);
        QCOMPARE(f.rowWithOutcome(QStringLiteral("accepted")), -1);
        QVERIFY2(f.detail->toPlainText().isEmpty(), qPrintable(f.detail->toPlainText()));

        // A shown row can be selected and detailed again.
        QVERIFY(UserInput::clickRow(*f.table, f.table->model()->index(0, 0)));
        QTRY_VERIFY(f.detail->toPlainText().contains(u"401"));
    }

    void sourceFilter_entriesSayAccepted_deniedXApiKeyNotListed()
    {
        Fixture f;
        QVERIFY(f.start());
        QCOMPARE(f.console.postResponses({{"x-api-key", f.key}}).status, 200);
        QCOMPARE(f.console.postResponses({{"x-api-key", "sk-kg-not-a-key"}}).status, 401);
        QTRY_COMPARE(f.table->model()->rowCount(), 2);

        auto *source = f.console.find<QComboBox>(QStringLiteral("traceSourceFilter"));
        const int xApiKey = source->findData(QStringLiteral("x-api-key"));
        QVERIFY(xApiKey > 0);
        QVERIFY(UserInput::chooseItem(*source, xApiKey));
        // The entry says what it filters: the key was accepted from x-api-key. The refused
        // request that also sent x-api-key is not listed, and the label must not suggest it would be.
        QVERIFY2(source->currentText().contains(u"accepted", Qt::CaseInsensitive),
                 qPrintable(source->currentText()));
        QVERIFY(source->currentText().contains(u"x-api-key"));
        QCOMPARE(f.table->model()->rowCount(), 1);
        QCOMPARE(f.rowWithOutcome(QStringLiteral("accepted")), 0);
        for (int i = 1; i < source->count(); ++i)
            QVERIFY2(source->itemText(i).contains(u"accepted", Qt::CaseInsensitive),
                     qPrintable(source->itemText(i)));
        QVERIFY(source->toolTip().contains(u"accepted"));
    }
};

QTEST_MAIN(tst_TraceFilterDetail)
#include "tst_tracefilterdetail.moc"
