// SPDX-License-Identifier: MIT
#include "tests/ui/start/FirstRunDriver.h"

#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

namespace Console::FirstRun {

QString mark(QWidget &window, const QString &step)
{
    const auto *label = window.findChild<QLabel *>(step + QStringLiteral("Mark"));
    return label ? label->accessibleName() : QStringLiteral("<no mark>");
}

QString detail(QWidget &window, const QString &step)
{
    const auto *label = window.findChild<QLabel *>(step + QStringLiteral("Detail"));
    return label ? label->text() : QString();
}

bool click(QWidget &window, const QString &objectName)
{
    auto *button = window.findChild<QPushButton *>(objectName);
    if (!button || !button->isVisible() || !button->isEnabled())
        return false;
    QTest::mouseClick(button, Qt::LeftButton);
    return true;
}

void expectAccountDialog(ConsoleHarness &console)
{
    QUrl base = console.upstream().baseUrl();
    base.setPath(QStringLiteral("/v1"));
    console.dialogs().onNextDialog([base](QDialog &dialog) {
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountName")),
                         QStringLiteral("fake"));
        QLineEdit *url = dialog.findChild<QLineEdit *>(QStringLiteral("accountBaseUrl"));
        url->clear();
        QTest::keyClicks(url, base.toString());
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("accountToken")),
                         QStringLiteral("upstream-token"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("accountDialogOk")), Qt::LeftButton);
        return dialog.result();
    });
}

void expectKeyDialogs(ConsoleHarness &console, const QString &name, QString &plaintext)
{
    console.dialogs().onNextDialog([name](QDialog &dialog) {
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyNameEdit")), name);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("keyEditOk")), Qt::LeftButton);
        return dialog.result();
    });
    console.dialogs().onNextDialog([&plaintext](QDialog &dialog) {
        plaintext = dialog.findChild<QLineEdit *>(QStringLiteral("keySecretEdit"))->text();
        dialog.reject();
        return dialog.result();
    });
}

QList<QPair<QByteArray, QByteArray>> bearer(const QString &key)
{
    return {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + key.toUtf8()}};
}

} // namespace Console::FirstRun
