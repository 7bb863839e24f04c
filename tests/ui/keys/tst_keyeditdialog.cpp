// SPDX-License-Identifier: MIT
// The key dialog driven with mouse and keyboard: an expiry in the past is refused inside the open
// dialog (OK disabled, the reason shown, the edits kept), and "E&xpires:" is a working mnemonic.
#include "ui/keys/KeyEditDialog.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace Console;

namespace {

/// Clicks a check box on its indicator (its centre may be empty space when the layout stretches it).
void clickCheckBox(QCheckBox *box)
{
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
}

/// Clicks into the year (the first section of "yyyy-MM-dd HH:mm") and steps it with the arrow keys.
/// A second click there would be a double click (QTest keeps the clicks close together): the field
/// keeps its focus and section between steps.
void stepYear(QDateTimeEdit *edit, int years)
{
    if (!edit->hasFocus())
        QTest::mouseClick(edit, Qt::LeftButton, {}, QPoint(6, edit->height() / 2));
    for (int i = 0; i < std::abs(years); ++i)
        QTest::keyClick(edit, years < 0 ? Qt::Key_Down : Qt::Key_Up);
}

} // namespace

class tst_KeyEditDialog final : public QObject
{
    Q_OBJECT

private slots:
    void expiry_pastChosen_okDisabledReasonShownEditsKept()
    {
        KeyEditDialog dialog(KeyEditDialog::Mode::Create);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("keyNameEdit"));
        auto *note = dialog.findChild<QLineEdit *>(QStringLiteral("keyNoteEdit"));
        auto *never = dialog.findChild<QCheckBox *>(QStringLiteral("keyNeverExpiresCheck"));
        auto *expiry = dialog.findChild<QDateTimeEdit *>(QStringLiteral("keyExpiryEdit"));
        auto *ok = dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk"));
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("keyEditError"));
        QTest::mouseClick(name, Qt::LeftButton);
        QTest::keyClicks(name, QStringLiteral("pi-laptop"));
        QTest::mouseClick(note, Qt::LeftButton);
        QTest::keyClicks(note, QStringLiteral("the laptop"));
        clickCheckBox(never);
        QVERIFY(!never->isChecked());
        QVERIFY(ok->isEnabled()); // 30 days ahead by default

        stepYear(expiry, -1); // about eleven months ago
        QVERIFY(expiry->dateTime() < QDateTime::currentDateTime());
        QVERIFY(!ok->isEnabled());
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(u"in the past"), qPrintable(error->text()));
        QTest::keyClick(note, Qt::Key_Return); // Enter does not close it either
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(name->text(), QStringLiteral("pi-laptop"));
        QCOMPARE(note->text(), QStringLiteral("the laptop"));

        stepYear(expiry, 2);
        QVERIFY2(ok->isEnabled(),
                 qPrintable(expiry->dateTime().toString(Qt::ISODate) + u' ' + error->text()));
        QVERIFY(!error->isVisible());
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.expiresAt() && *dialog.expiresAt() > QDateTime::currentDateTimeUtc());
        QCOMPARE(dialog.name(), QStringLiteral("pi-laptop"));
    }

    void expiry_pastButNeverExpiresTicked_okEnabled()
    {
        KeyEditDialog dialog(KeyEditDialog::Mode::Create);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyNameEdit")), QStringLiteral("k"));
        auto *never = dialog.findChild<QCheckBox *>(QStringLiteral("keyNeverExpiresCheck"));
        auto *ok = dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk"));
        clickCheckBox(never);
        stepYear(dialog.findChild<QDateTimeEdit *>(QStringLiteral("keyExpiryEdit")), -1);
        QVERIFY(!ok->isEnabled());
        clickCheckBox(never); // a key that never expires has no expiry to be in the past
        QVERIFY(ok->isEnabled());
        QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("keyEditError"))->isVisible());
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.expiresAt());
    }

    void expiresLabel_altX_focusesNeverExpiresNoLiteralAmpersand()
    {
        KeyEditDialog dialog(KeyEditDialog::Mode::Create);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        auto *label = dialog.findChild<QLabel *>(QStringLiteral("keyExpiresLabel"));
        auto *never = dialog.findChild<QCheckBox *>(QStringLiteral("keyNeverExpiresCheck"));
        QVERIFY(label);
        QCOMPARE(label->buddy(), never); // with a buddy the "&" is a mnemonic, not a character
        QVERIFY(!never->hasFocus());
        QTest::keyClick(&dialog, Qt::Key_X, Qt::AltModifier);
        QTRY_VERIFY(never->hasFocus());
        QTest::keyClick(never, Qt::Key_Space);
        QVERIFY(!never->isChecked());
        QVERIFY(dialog.findChild<QDateTimeEdit *>(QStringLiteral("keyExpiryEdit"))->isEnabled());
    }
};

QTEST_MAIN(tst_KeyEditDialog)
#include "tst_keyeditdialog.moc"
