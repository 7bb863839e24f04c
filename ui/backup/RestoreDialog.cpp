// SPDX-License-Identifier: MIT
#include "ui/backup/RestoreDialog.h"

#include "ui/common/DialogService.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Console {

RestoreDialog::RestoreDialog(DialogService &dialogs, const QString &directory, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Restore Keygate"));
    m_file = new QLineEdit;
    m_file->setObjectName(QStringLiteral("restoreFileEdit"));
    auto *browse = new QPushButton(tr("&Browse…"));
    browse->setObjectName(QStringLiteral("browseButton"));
    connect(browse, &QPushButton::clicked, this, [this, &dialogs, directory] {
        const QString chosen = dialogs.openFileName(this, tr("Restore from"), directory,
                                                    tr("Keygate backups (*.kgbackup);;All files (*)"));
        if (!chosen.isEmpty())
            m_file->setText(chosen);
    });
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    m_passphrase = new QLineEdit;
    m_passphrase->setObjectName(QStringLiteral("passphraseEdit"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    m_passphrase->setPlaceholderText(tr("only for a backup with secrets"));

    auto *note = new QLabel(tr("The whole file is checked, and its secrets decrypted, before anything changes."));
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Check backup"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("checkButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto requireFile = [this, ok = buttons->button(QDialogButtonBox::Ok)] {
        ok->setEnabled(!filePath().isEmpty());
    };
    connect(m_file, &QLineEdit::textChanged, this, requireFile);
    requireFile();

    auto *form = new QFormLayout;
    form->addRow(tr("&File:"), fileRow);
    form->addRow(tr("&Passphrase:"), m_passphrase);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString RestoreDialog::filePath() const
{
    return m_file->text().trimmed();
}

QByteArray RestoreDialog::passphrase() const
{
    return m_passphrase->text().toUtf8();
}

} // namespace Console
