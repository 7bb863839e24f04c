// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLineEdit;

namespace Console {

class DialogService;

/// File → Restore…: the backup file to check and the passphrase of its secrets (if it has any).
/// GUI thread.
class RestoreDialog final : public QDialog
{
    Q_OBJECT

public:
    RestoreDialog(DialogService &dialogs, const QString &directory, QWidget *parent = nullptr);

    QString filePath() const;
    /// UTF-8; the caller wipes it.
    QByteArray passphrase() const;

private:
    QLineEdit *m_file = nullptr;
    QLineEdit *m_passphrase = nullptr;
};

} // namespace Console
