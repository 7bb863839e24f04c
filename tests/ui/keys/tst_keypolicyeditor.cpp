// SPDX-License-Identifier: MIT
// Key policy in the console with the real runtime, keychain and proxy: the editor saves limits,
// allowed models and efforts (and refuses bad input in the dialog), a limit added there is enforced
// by the running proxy, and the limit bars of the Keys and Usage pages follow requests live.
#include "tests/ui/keys/KeysPageDriver.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/storage/Database.h"

#include "ui/common/LimitBarsView.h"
#include "ui/keys/KeyEditDialog.h"
#include "ui/keys/KeyPolicyEditor.h"
#include "ui/usage/UsageTableModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace Console;

namespace {

constexpr int LiveTimeoutMs = 1000;

QList<QPair<QByteArray, QByteArray>> withKey(const QString &key)
{
    return {{QByteArrayLiteral("x-api-key"), key.toUtf8()}};
}

QTableWidget *limitsTable(KeyPolicyEditor &editor)
{
    return editor.findChild<QTableWidget *>(QStringLiteral("keyLimitsTable"));
}

/// Add limit → picks type and window → types the maximum (and model), as a user does.
void addLimit(KeyPolicyEditor &editor, Proxy::LimitType type, Proxy::LimitWindow window, const QString &max,
              const QString &model = {})
{
    QTest::mouseClick(editor.findChild<QPushButton *>(QStringLiteral("addLimitButton")), Qt::LeftButton);
    QTableWidget *table = limitsTable(editor);
    const int row = table->rowCount() - 1;
    auto *typeCombo = qobject_cast<QComboBox *>(table->cellWidget(row, KeyPolicyEditor::TypeColumn));
    QVERIFY(UserInput::chooseItem(*typeCombo, typeCombo->findData(int(type))));
    auto *windowCombo = qobject_cast<QComboBox *>(table->cellWidget(row, KeyPolicyEditor::WindowColumn));
    QVERIFY(UserInput::chooseItem(*windowCombo, windowCombo->findData(int(window))));
    QTest::keyClicks(qobject_cast<QLineEdit *>(table->cellWidget(row, KeyPolicyEditor::MaxColumn)), max);
    if (!model.isEmpty())
        QTest::keyClicks(qobject_cast<QLineEdit *>(table->cellWidget(row, KeyPolicyEditor::ModelColumn)), model);
}

/// Edit… on the selected key; @p fill changes the policy part, then Save is clicked. Returns the
/// message the dialog showed when it refused to save (the dialog is then cancelled), else empty.
QString editPolicy(ConsoleHarness &console, KeysPageDriver &keys, const std::function<void(KeyPolicyEditor &)> &fill)
{
    QString refused = QStringLiteral("<no edit dialog>");
    console.dialogs().onNextDialog([&](QDialog &dialog) {
        auto *edit = qobject_cast<KeyEditDialog *>(&dialog);
        auto *editor = dialog.findChild<KeyPolicyEditor *>();
        if (!edit || !editor)
            return int(QDialog::Rejected);
        fill(*editor);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk")), Qt::LeftButton);
        refused = edit->errorText();
        if (dialog.result() != QDialog::Accepted) {
            if (!dialog.isVisible())
                refused += QStringLiteral(" <closed although refused>");
            dialog.reject();
        }
        return dialog.result();
    });
    keys.click(QStringLiteral("editKeyButton"));
    return refused;
}

Proxy::KeyPolicy storedPolicy(ConsoleHarness &console, qint64 id)
{
    const auto key =
        Core::KeyService(console.runtime().database(), console.runtime().secrets()).findById(id);
    return key ? key.value().policy : Proxy::KeyPolicy();
}

QStringList barTexts(KeysPageDriver &keys)
{
    return keys.page().limitBars().texts();
}

} // namespace

class tst_KeyPolicyEditor final : public QObject
{
    Q_OBJECT

private slots:
    void edit_limitsModelsEfforts_savedAndShownAgain()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        keys.createKey(QStringLiteral("policy"));
        const qint64 id = keys.idOf(QStringLiteral("policy"));
        QVERIFY(keys.select(QStringLiteral("policy")));
        QCOMPARE(keys.model().index(keys.rowOf(QStringLiteral("policy")), KeyTableModel::Limits).data().toString(),
                 QStringLiteral("—"));

        const QString refused = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            QTest::keyClicks(editor.findChild<QLineEdit *>(QStringLiteral("keyAllowedModelsEdit")),
                             QStringLiteral("gpt-5.4, gpt-5.4-mini,"));
            editor.findChild<QCheckBox *>(QStringLiteral("effortCheck_low"))->click();
            editor.findChild<QCheckBox *>(QStringLiteral("effortCheck_medium"))->click();
            addLimit(editor, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, QStringLiteral("100,000"));
            addLimit(editor, Proxy::LimitType::CostMicros, Proxy::LimitWindow::Month, QStringLiteral("5"),
                     QStringLiteral("gpt-5.4"));
        });
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
        QVERIFY2(console.dialogs().unexpected().isEmpty(), qPrintable(console.dialogs().unexpected().join(u'\n')));

        const Proxy::KeyPolicy saved = storedPolicy(console, id);
        QCOMPARE(saved.allowedModels, QStringList({QStringLiteral("gpt-5.4"), QStringLiteral("gpt-5.4-mini")}));
        QCOMPARE(saved.allowedEfforts, QStringList({QStringLiteral("low"), QStringLiteral("medium")}));
        QCOMPARE(saved.limits.size(), 2);
        QCOMPARE(saved.limits.at(0).type, Proxy::LimitType::TotalTokens);
        QCOMPARE(saved.limits.at(0).window, Proxy::LimitWindow::Day);
        QCOMPARE(saved.limits.at(0).maxValue, qint64(100'000));
        QCOMPARE(saved.limits.at(1).type, Proxy::LimitType::CostMicros);
        QCOMPARE(saved.limits.at(1).maxValue, qint64(5'000'000));
        QCOMPARE(saved.limits.at(1).modelFilter, QStringLiteral("gpt-5.4"));

        // The page shows them at once: bars of the selected key and the Limits column.
        QVERIFY(keys.select(QStringLiteral("policy")));
        const QStringList bars = barTexts(keys);
        QCOMPARE(bars.size(), 2);
        QVERIFY2(bars.at(0).startsWith(QStringLiteral("tokens / day — 0 of 100,000 (100 % left) · resets in ")),
                 qPrintable(bars.at(0)));
        QVERIFY2(bars.at(1).startsWith(QStringLiteral("cost / month (gpt-5.4 only) — $0.00 of $5.00")),
                 qPrintable(bars.at(1)));
        QCOMPARE(keys.model().index(keys.rowOf(QStringLiteral("policy")), KeyTableModel::Limits).data().toString(),
                 QStringLiteral("0 %"));

        // Opened again, the editor shows what was saved; removing a row keeps the other rule's id.
        QString models;
        QStringList checked;
        QString costMax;
        const qint64 costId = saved.limits.at(1).id;
        const QString removed = editPolicy(console, keys, [&](KeyPolicyEditor &editor) {
            models = editor.findChild<QLineEdit *>(QStringLiteral("keyAllowedModelsEdit"))->text();
            for (QCheckBox *check : editor.findChildren<QCheckBox *>())
                if (check->isChecked())
                    checked.append(check->text());
            QTableWidget *table = limitsTable(editor);
            costMax = qobject_cast<QLineEdit *>(table->cellWidget(1, KeyPolicyEditor::MaxColumn))->text();
            QTest::mouseClick(qobject_cast<QPushButton *>(table->cellWidget(0, KeyPolicyEditor::LimitColumnCount)),
                              Qt::LeftButton);
            editor.findChild<QLineEdit *>(QStringLiteral("keyAllowedModelsEdit"))->clear();
            editor.findChild<QCheckBox *>(QStringLiteral("effortCheck_low"))->click();
        });
        QVERIFY2(removed.isEmpty(), qPrintable(removed));
        QCOMPARE(models, QStringLiteral("gpt-5.4, gpt-5.4-mini"));
        QCOMPARE(checked, QStringList({QStringLiteral("low"), QStringLiteral("medium")}));
        QCOMPARE(costMax, QStringLiteral("5.00"));
        const Proxy::KeyPolicy after = storedPolicy(console, id);
        QVERIFY(after.allowedModels.isEmpty());
        QCOMPARE(after.allowedEfforts, QStringList({QStringLiteral("medium")}));
        QCOMPARE(after.limits.size(), 1);
        QCOMPARE(after.limits.at(0).id, costId);
        QCOMPARE(barTexts(keys).size(), 1);
    }

    void edit_badMaxOrDuplicate_refusedInDialog_nothingSaved()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        keys.createKey(QStringLiteral("strict"));
        const qint64 id = keys.idOf(QStringLiteral("strict"));
        QVERIFY(keys.select(QStringLiteral("strict")));

        QString refused = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            QTest::keyClicks(editor.findChild<QLineEdit *>(QStringLiteral("keyAllowedModelsEdit")),
                             QStringLiteral("gpt-5.4"));
            addLimit(editor, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, QStringLiteral("1000"));
            addLimit(editor, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Week, QStringLiteral("lots"));
        });
        QVERIFY2(refused.contains(QLatin1String("Limit 2")) && refused.contains(QLatin1String("positive whole number")),
                 qPrintable(refused));
        QVERIFY(!refused.contains(QLatin1String("closed although refused")));

        refused = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            addLimit(editor, Proxy::LimitType::CostMicros, Proxy::LimitWindow::Day, QStringLiteral("1.2345678"));
        });
        QVERIFY2(refused.contains(QLatin1String("USD")), qPrintable(refused));

        refused = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            addLimit(editor, Proxy::LimitType::OutputTokens, Proxy::LimitWindow::FiveHours, QStringLiteral("10"));
            addLimit(editor, Proxy::LimitType::OutputTokens, Proxy::LimitWindow::FiveHours, QStringLiteral("20"));
        });
        QVERIFY2(refused.contains(QLatin1String("Limits 1 and 2")), qPrintable(refused));

        QVERIFY(storedPolicy(console, id).isOpen()); // nothing of the refused edits was saved
        QVERIFY2(console.dialogs().unexpected().isEmpty(), qPrintable(console.dialogs().unexpected().join(u'\n')));
    }

    void limitAddedInEditor_enforcedByRunningProxy()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const QString key = keys.createKey(QStringLiteral("capped")).plaintext;
        const int row = keys.rowOf(QStringLiteral("capped"));
        QCOMPARE(console.postResponses(withKey(key)).status, 200); // 18 tokens, before any limit
        QTRY_COMPARE(keys.model().requestsAt(row), 1);

        QVERIFY(keys.select(QStringLiteral("capped")));
        const QString refused = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            addLimit(editor, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::FiveHours, QStringLiteral("10"));
        });
        QVERIFY2(refused.isEmpty(), qPrintable(refused));

        const ConsoleHarness::Response limited = console.postResponses(withKey(key));
        QCOMPARE(limited.status, 429);
        QVERIFY2(limited.body.contains("rate_limit_exceeded"), limited.body.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!barTexts(keys).isEmpty() &&
                                     barTexts(keys).first().startsWith(QStringLiteral("tokens / 5h — 10 of 10 (exhausted)")),
                                 LiveTimeoutMs);
        QCOMPARE(keys.model().index(row, KeyTableModel::Limits).data().toString(), QStringLiteral("100 %"));

        // Raising the maximum in the editor lets requests through again.
        QVERIFY(keys.select(QStringLiteral("capped")));
        const QString raised = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            auto *max = qobject_cast<QLineEdit *>(limitsTable(editor)->cellWidget(0, KeyPolicyEditor::MaxColumn));
            max->selectAll();
            QTest::keyClicks(max, QStringLiteral("1000"));
        });
        QVERIFY2(raised.isEmpty(), qPrintable(raised));
        QCOMPARE(console.postResponses(withKey(key)).status, 200);
    }

    void limitAddedElsewhere_proxyAndBarsFollow()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QSignalSpy storeSawKey(&console.runtime(), &Core::ProxyRuntime::keysChanged);
        const QString key = keys.createKey(QStringLiteral("from-cli")).plaintext;
        const qint64 id = keys.idOf(QStringLiteral("from-cli"));
        QVERIFY(keys.select(QStringLiteral("from-cli")));
        // publishKeys() emitted once; the store's poll reports the new key a second time.
        QTRY_VERIFY_WITH_TIMEOUT(storeSawKey.size() >= 2, 5000);
        Core::Database cli; // another connection, as `keygate keys limit … add` has
        QVERIFY(cli.open(console.dataDir()).ok());
        QVERIFY(Core::KeyPolicyService(cli)
                    .addLimit(id, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 10)
                    .ok());
        LimitBarsView &bars = keys.page().limitBars();
        QTRY_COMPARE_WITH_TIMEOUT(bars.texts().size(), 1, 5000);
        QCOMPARE(console.postResponses(withKey(key)).status, 200); // 18 tokens: the limit is used up
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().at(0).startsWith(QStringLiteral("tokens / day — 10 of 10 (exhausted)")),
                                 LiveTimeoutMs);
        QCOMPARE(console.postResponses(withKey(key)).status, 429);
    }

    void bars_followRequestsLive_keysAndUsagePages()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const QString key = keys.createKey(QStringLiteral("metered")).plaintext;
        const qint64 id = keys.idOf(QStringLiteral("metered"));
        QVERIFY(keys.select(QStringLiteral("metered")));
        const QString refused = editPolicy(console, keys, [](KeyPolicyEditor &editor) {
            addLimit(editor, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, QStringLiteral("100"));
            addLimit(editor, Proxy::LimitType::OutputTokens, Proxy::LimitWindow::Week, QStringLiteral("20"));
        });
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
        QVERIFY(keys.select(QStringLiteral("metered")));
        LimitBarsView &bars = keys.page().limitBars();
        QCOMPARE(bars.texts().size(), 2);
        auto *tokensBar = bars.findChild<QProgressBar *>(QStringLiteral("limitBar0"));
        auto *outputBar = bars.findChild<QProgressBar *>(QStringLiteral("limitBar1"));
        QVERIFY(tokensBar && outputBar);
        QCOMPARE(tokensBar->value(), 0);
        QVERIFY(!tokensBar->accessibleName().isEmpty());

        // Each request: 18 tokens, 7 of them output (the harness' fake upstream).
        QCOMPARE(console.postResponses(withKey(key)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().at(0).startsWith(QStringLiteral("tokens / day — 18 of 100 (82 % left)")),
                                 LiveTimeoutMs);
        QCOMPARE(tokensBar->value(), 180);
        QVERIFY2(bars.texts().at(1).startsWith(QStringLiteral("output / week — 7 of 20 (65 % left) · resets in")),
                 qPrintable(bars.texts().at(1)));
        QCOMPARE(outputBar->property("limitLevel").toString(), QStringLiteral("normal"));

        QCOMPARE(console.postResponses(withKey(key)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().at(1).startsWith(QStringLiteral("output / week — 14 of 20 (30 % left)")),
                                 LiveTimeoutMs);
        QCOMPARE(outputBar->property("limitLevel").toString(), QStringLiteral("normal"));
        QCOMPARE(console.postResponses(withKey(key)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().at(1).startsWith(QStringLiteral("output / week — 20 of 20 (exhausted)")),
                                 LiveTimeoutMs);
        QCOMPARE(outputBar->value(), 1000); // 21 of 20 shown clamped
        QCOMPARE(outputBar->property("limitLevel").toString(), QStringLiteral("exhausted"));
        QCOMPARE(tokensBar->property("limitLevel").toString(), QStringLiteral("normal"));
        QTRY_COMPARE(keys.model().index(keys.rowOf(QStringLiteral("metered")), KeyTableModel::Limits).data().toString(),
                     QStringLiteral("100 %"));

        // The Usage page shows the same bars for the key selected there.
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("usage")));
        auto *usageTable = console.find<QTableView>(QStringLiteral("usageTable"));
        int usageRow = -1;
        QTRY_VERIFY([&] {
            for (int r = 0; r < usageTable->model()->rowCount(); ++r)
                if (usageTable->model()->index(r, 0).data(UsageTableModel::KeyIdRole).toLongLong() == id)
                    usageRow = r;
            return usageRow >= 0;
        }());
        auto *usageBars = console.find<LimitBarsView>(QStringLiteral("usageLimitBars"));
        QVERIFY(usageBars);
        QVERIFY(!usageBars->isVisible());
        QVERIFY(UserInput::clickRow(*usageTable, usageTable->model()->index(usageRow, 0)));
        QVERIFY(usageBars->isVisible());
        QCOMPARE(usageBars->keyId(), id);
        QCOMPARE(usageBars->texts().size(), 2);
        QVERIFY2(usageBars->texts().at(0).startsWith(QStringLiteral("tokens / day — 54 of 100 (46 % left)")),
                 qPrintable(usageBars->texts().at(0)));
        QVERIFY(usageBars->texts().at(1).startsWith(QStringLiteral("output / week — 20 of 20 (exhausted)")));
    }

    void barsLevel_warningFromEightyPercent()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const QString key = keys.createKey(QStringLiteral("near")).plaintext;
        const qint64 id = keys.idOf(QStringLiteral("near"));
        QVERIFY(Core::KeyPolicyService(console.runtime().database())
                    .addLimit(id, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Month, 20)
                    .ok());
        console.runtime().publishKeys();
        QVERIFY(keys.select(QStringLiteral("near")));
        LimitBarsView &bars = keys.page().limitBars();
        QCOMPARE(bars.texts().size(), 1);
        QCOMPARE(console.postResponses(withKey(key)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().at(0).startsWith(QStringLiteral("tokens / month — 18 of 20 (10 % left)")),
                                 LiveTimeoutMs);
        QCOMPARE(bars.findChild<QProgressBar *>(QStringLiteral("limitBar0"))->property("limitLevel").toString(),
                 QStringLiteral("warning"));

        // Another key without limits: the panel says so instead of showing bars.
        keys.createKey(QStringLiteral("open"));
        QVERIFY(keys.select(QStringLiteral("open")));
        QVERIFY(bars.texts().isEmpty());
        QVERIFY2(bars.emptyText().contains(QLatin1String("No limits")), qPrintable(bars.emptyText()));
    }
};

QTEST_MAIN(tst_KeyPolicyEditor)
#include "tst_keypolicyeditor.moc"
