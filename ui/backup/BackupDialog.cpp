// SPDX-License-Identifier: MIT
#include "ui/backup/BackupDialog.h"

#include "ui/common/DialogService.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Console {

BackupDialog::BackupDialog(DialogService &dialogs, const QString &suggestedPath, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Back up Keygate"));
    m_file = new QLineEdit(suggestedPath);
    m_file->setObjectName(QStringLiteral("backupFileEdit"));
    auto *browse = new QPushButton(tr("&Browse…"));
    browse->setObjectName(QStringLiteral("browseButton"));
    connect(browse, &QPushButton::clicked, this, [this, &dialogs] {
        const QString chosen = dialogs.saveFileName(this, tr("Back up to"), m_file->text(),
                                                    tr("Keygate backups (*.kgbackup);;All files (*)"));
        if (!chosen.isEmpty())
            m_file->setText(chosen);
    });
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);

    m_withSecrets = new QCheckBox(tr("&Include key plaintexts and account tokens, encrypted"));
    m_withSecrets->setObjectName(QStringLiteral("withSecretsCheckBox"));
    m_passphrase = new QLineEdit;
    m_passphrase->setObjectName(QStringLiteral("passphraseEdit"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    m_repeat = new QLineEdit;
    m_repeat->setObjectName(QStringLiteral("repeatPassphraseEdit"));
    m_repeat->setEchoMode(QLineEdit::Password);
    m_repeat->setAccessibleName(tr("Repeat passphrase"));
    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);

    auto *note = new QLabel(tr("Keys, policy, accounts, settings, usage and the auth trace go into one file, while "
                               "the proxy keeps running. Without secrets, restored accounts need their tokens "
                               "again; keys keep working either way."));
    note->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Back &up"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("backupButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&File:"), fileRow);
    form->addRow(QString(), m_withSecrets);
    form->addRow(tr("&Passphrase:"), m_passphrase);
    form->addRow(tr("&Repeat:"), m_repeat);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_file, m_passphrase, m_repeat})
        connect(edit, &QLineEdit::textChanged, this, &BackupDialog::validate);
    connect(m_withSecrets, &QCheckBox::toggled, this, &BackupDialog::validate);
    validate();
}

QString BackupDialog::filePath() const
{
    return m_file->text().trimmed();
}

bool BackupDialog::withSecrets() const
{
    return m_withSecrets->isChecked();
}

QByteArray BackupDialog::passphrase() const
{
    return withSecrets() ? m_passphrase->text().toUtf8() : QByteArray();
}

void BackupDialog::validate()
{
    m_passphrase->setEnabled(withSecrets());
    m_repeat->setEnabled(withSecrets());
    QString problem;
    if (filePath().isEmpty())
        problem = tr("Choose a file.");
    else if (withSecrets() && m_passphrase->text().isEmpty())
        problem = tr("Enter a passphrase: it is needed to restore the secrets.");
    else if (withSecrets() && m_passphrase->text() != m_repeat->text())
        problem = tr("The passphrases differ.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace Console
