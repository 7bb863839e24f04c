// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Console {

class DialogService;

/// File → Back up…: where to write the backup and, optionally, a passphrase (typed twice) that
/// encrypts the key plaintexts and account tokens in it. Accept is enabled only when the entries
/// make sense. GUI thread.
class BackupDialog final : public QDialog
{
    Q_OBJECT

public:
    BackupDialog(DialogService &dialogs, const QString &suggestedPath, QWidget *parent = nullptr);

    QString filePath() const;
    bool withSecrets() const;
    /// The passphrase as UTF-8 (empty without secrets); the caller wipes it.
    QByteArray passphrase() const;

private:
    void validate();

    QLineEdit *m_file = nullptr;
    QCheckBox *m_withSecrets = nullptr;
    QLineEdit *m_passphrase = nullptr;
    QLineEdit *m_repeat = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Console
