// SPDX-License-Identifier: MIT
// "Reset usage…" on the Keys page with the real runtime and proxy: a key at its limit is refused,
// the action is clicked and confirmed in its dialog, and the key is served again; the limit bars and
// the auth trace show the reset. Cancelling changes nothing.
#include "tests/ui/keys/KeysPageDriver.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"

#include "ui/common/LimitBarsView.h"
#include "ui/common/MessageBanner.h"
#include "ui/trace/AuthTraceModel.h"
#include "ui/trace/TracePage.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QPushButton>
#include <QTest>

using namespace Console;

namespace {

QList<QPair<QByteArray, QByteArray>> withKey(const QString &key)
{
    return {{QByteArrayLiteral("x-api-key"), key.toUtf8()}};
}

/// Clicks "Reset usage…" and answers its dialog: @p limitIndex in the limits box (0 = all limits),
/// then Reset usage, or Cancel when @p confirm is false. Returns the entries the box offered.
QStringList resetUsage(ConsoleHarness &console, KeysPageDriver &keys, int limitIndex, bool confirm)
{
    QStringList offered{QStringLiteral("<no reset dialog>")};
    console.dialogs().onNextDialog([&](QDialog &dialog) {
        auto *limits = dialog.findChild<QComboBox *>(QStringLiteral("usageResetLimits"));
        if (!limits)
            return int(QDialog::Rejected);
        offered.clear();
        for (int i = 0; i < limits->count(); ++i)
            offered.append(limits->itemText(i));
        UserInput::chooseItem(*limits, limitIndex);
        if (!confirm)
            return int(QDialog::Rejected);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("usageResetButton")), Qt::LeftButton);
        return dialog.result();
    });
    keys.click(QStringLiteral("resetUsageButton"));
    return offered;
}

} // namespace

class tst_KeysResetUsage final : public QObject
{
    Q_OBJECT

private:
    struct Limited final
    {
        QString key;
        qint64 id = 0;
    };

    /// A key "metered" with a 10-token daily limit, used up by one request (18 tokens), selected.
    static Limited exhaustedKey(ConsoleHarness &console, KeysPageDriver &keys)
    {
        Limited limited;
        limited.key = keys.createKey(QStringLiteral("metered")).plaintext;
        limited.id = keys.idOf(QStringLiteral("metered"));
        Core::KeyPolicyService(console.runtime().database())
            .addLimit(limited.id, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 10);
        console.runtime().publishKeys();
        keys.select(QStringLiteral("metered"));
        if (console.postResponses(withKey(limited.key)).status != 200)
            qWarning("the first request was not served");
        return limited;
    }

private slots:
    void resetUsage_clickedAndConfirmed_keyServedAgain_barsAndTraceShowIt()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const Limited limited = exhaustedKey(console, keys);
        QCOMPARE(console.postResponses(withKey(limited.key)).status, 429);
        auto *action = keys.page().findChild<QAction *>(QStringLiteral("resetUsageAction"));
        QVERIFY(action && action->isEnabled());

        const QStringList offered = resetUsage(console, keys, 0, true);
        QVERIFY2(console.dialogs().unexpected().isEmpty(), qPrintable(console.dialogs().unexpected().join(u'\n')));
        QCOMPARE(offered.size(), 2);
        QCOMPARE(offered.at(0), QStringLiteral("All limits"));
        QVERIFY2(offered.at(1).startsWith(QStringLiteral("tokens / day (limit ")), qPrintable(offered.at(1)));
        auto *banner = console.find<MessageBanner>(QStringLiteral("keysBanner"));
        QVERIFY2(banner->text().startsWith(QStringLiteral("The usage of \"metered\" was reset: tokens / day count from ")),
                 qPrintable(banner->text()));

        QCOMPARE(console.postResponses(withKey(limited.key)).status, 200); // applied to the proxy at once
        LimitBarsView &bars = keys.page().limitBars();
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().size() == 1 && bars.texts().at(0).contains(QStringLiteral(" · usage reset ")),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(bars.texts().at(0).startsWith(QStringLiteral("tokens / day — 10 of 10 (exhausted)")), 5000);
        QCOMPARE(console.postResponses(withKey(limited.key)).status, 429);

        auto *trace = console.window().findChild<TracePage *>();
        QVERIFY(trace);
        const auto hasReset = [&] {
            AuthTraceModel &model = trace->model();
            for (int row = 0; row < model.rowCount(); ++row)
                if (model.index(row, AuthTraceModel::OutcomeColumn).data().toString() == u"reset")
                    return model.index(row, AuthTraceModel::SummaryColumn)
                        .data()
                        .toString()
                        .startsWith(QStringLiteral("\"metered\" \u2192 usage reset: tokens/day (limit "));
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(hasReset(), 5000);
    }

    void resetUsage_cancelled_nothingChanges_disabledWithoutLimits()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const Limited limited = exhaustedKey(console, keys);
        resetUsage(console, keys, 1, false);
        QVERIFY(console.dialogs().unexpected().isEmpty());
        QCOMPARE(console.postResponses(withKey(limited.key)).status, 429);
        const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets()).findById(limited.id);
        QVERIFY(!key.value().policy.limits.first().countedFrom.isValid());

        keys.createKey(QStringLiteral("open"));
        QVERIFY(keys.select(QStringLiteral("open")));
        QVERIFY(!keys.page().findChild<QAction *>(QStringLiteral("resetUsageAction"))->isEnabled());
    }
};

QTEST_MAIN(tst_KeysResetUsage)
#include "tst_keysresetusage.moc"
