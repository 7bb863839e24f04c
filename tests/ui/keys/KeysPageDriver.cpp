// SPDX-License-Identifier: MIT
#include "tests/ui/keys/KeysPageDriver.h"

#include "tests/ui/support/UserInput.h"
#include "ui/keys/KeySecretDialog.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QToolButton>

namespace Console {

KeysPageDriver::KeysPageDriver(MainWindow &window, ScriptedDialogService &dialogs)
    : m_dialogs(dialogs), m_page(qobject_cast<KeysPage *>(window.page(QStringLiteral("keys"))))
{
    Q_ASSERT(m_page);
    if (!UserInput::openPage(window, QStringLiteral("keys")))
        qWarning("the Keys page could not be opened from the navigation");
}

void KeysPageDriver::expectSecretDialog(Shown &shown)
{
    m_dialogs.onNextDialog([&shown](QDialog &dialog) {
        auto *secret = qobject_cast<KeySecretDialog *>(&dialog);
        if (!secret)
            return int(QDialog::Rejected);
        shown.plaintext = secret->findChild<QLineEdit *>(QStringLiteral("keySecretEdit"))->text();
        shown.message = secret->message();
        shown.title = secret->windowTitle();
        secret->reject(); // the Close button
        shown.wipedOnClose = secret->shownSecret().isEmpty();
        return secret->result();
    });
}

KeysPageDriver::Shown
KeysPageDriver::createKey(const QString &name, const std::optional<QDateTime> &expiresAt, const QString &note)
{
    m_dialogs.onNextDialog([&](QDialog &dialog) {
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyNameEdit")), name);
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyNoteEdit")), note);
        if (expiresAt) {
            dialog.findChild<QCheckBox *>(QStringLiteral("keyNeverExpiresCheck"))->setChecked(false);
            dialog.findChild<QDateTimeEdit *>(QStringLiteral("keyExpiryEdit"))
                ->setDateTime(expiresAt->toLocalTime());
        }
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk")), Qt::LeftButton);
        return dialog.result();
    });
    Shown shown;
    expectSecretDialog(shown);
    click(QStringLiteral("newKeyButton"));
    return shown;
}

bool KeysPageDriver::select(const QString &name)
{
    const qint64 id = idOf(name);
    auto *table = m_page->findChild<QTableView *>(QStringLiteral("keyTable"));
    for (int row = 0; id != 0 && row < table->model()->rowCount(); ++row) {
        const QModelIndex index = table->model()->index(row, KeyTableModel::Name);
        if (index.data(KeyTableModel::IdRole).toLongLong() == id)
            return UserInput::clickRow(*table, index);
    }
    return false;
}

void KeysPageDriver::click(const QString &objectName)
{
    auto *button = m_page->findChild<QToolButton *>(objectName);
    Q_ASSERT(button);
    QTest::mouseClick(button, Qt::LeftButton);
}

int KeysPageDriver::rowOf(const QString &name) const
{
    for (int row = 0; row < model().rowCount(); ++row)
        if (model().keyAt(row).name == name)
            return row;
    return -1;
}

int KeysPageDriver::visibleRows() const
{
    return m_page->findChild<QTableView *>(QStringLiteral("keyTable"))->model()->rowCount();
}

qint64 KeysPageDriver::idOf(const QString &name) const
{
    const int row = rowOf(name);
    return row < 0 ? 0 : model().keyAt(row).id;
}

} // namespace Console
