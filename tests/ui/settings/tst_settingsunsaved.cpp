// SPDX-License-Identifier: MIT
// Unsaved Settings edits survive a page switch and are marked (issue 13): on the page ("Unsaved
// changes" beside Apply) and on its sidebar entry, until Apply or Revert.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace Console;

namespace {

QListWidgetItem *settingsEntry(ConsoleHarness &console)
{
    auto *navigation = console.find<QListWidget>(QStringLiteral("navigation"));
    return navigation->item(int(console.window().pageIds().indexOf(QStringLiteral("settings"))));
}

/// Types @p days into the retention field as a user does.
void typeRetention(ConsoleHarness &console, int days)
{
    auto *retention = console.find<QSpinBox>(QStringLiteral("settingsRetention"));
    QTest::mouseClick(retention, Qt::LeftButton, {}, QPoint(retention->width() / 3, retention->height() / 2));
    QTest::keyClick(retention, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(retention, QString::number(days));
}

} // namespace

class tst_SettingsUnsaved final : public QObject
{
    Q_OBJECT

private slots:
    void edit_switchPage_markedOnPageAndSidebarUntilReverted()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("settings")));
        QListWidgetItem *entry = settingsEntry(console);
        const QString title = entry->text();
        auto *marker = console.find<QLabel>(QStringLiteral("settingsUnsaved"));
        QVERIFY(marker && !marker->isVisible());

        const int days = console.find<QSpinBox>(QStringLiteral("settingsRetention"))->value();
        typeRetention(console, days + 1);
        QVERIFY(marker->isVisible());
        QVERIFY2(entry->text() != title && entry->text().startsWith(title), qPrintable(entry->text()));
        QVERIFY(entry->data(Qt::AccessibleTextRole).toString().contains(u"unsaved"));
        QVERIFY(entry->toolTip().contains(u"unsaved"));

        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("keys")));
        QVERIFY2(entry->text() != title, qPrintable(entry->text())); // still marked from elsewhere
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("settings")));
        QCOMPARE(console.find<QSpinBox>(QStringLiteral("settingsRetention"))->value(), days + 1); // kept
        QVERIFY(marker->isVisible());

        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsRevert")), Qt::LeftButton);
        QCOMPARE(entry->text(), title);
        QVERIFY(!marker->isVisible());
        QVERIFY(!entry->toolTip().contains(u"unsaved"));
    }

    void edit_apply_markerGone()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("settings")));
        QListWidgetItem *entry = settingsEntry(console);
        const QString title = entry->text();
        typeRetention(console, console.find<QSpinBox>(QStringLiteral("settingsRetention"))->value() + 2);
        QVERIFY(entry->text() != title);
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        QTRY_COMPARE(entry->text(), title);
        QVERIFY(!console.find<QLabel>(QStringLiteral("settingsUnsaved"))->isVisible());
    }
};

QTEST_MAIN(tst_SettingsUnsaved)
#include "tst_settingsunsaved.moc"
