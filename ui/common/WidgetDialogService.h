// SPDX-License-Identifier: MIT
#pragma once

#include "ui/common/DialogService.h"

namespace Console {

/// The real dialogs: QDialog::exec, QMessageBox and QFileDialog.
class WidgetDialogService final : public DialogService
{
public:
    int exec(QDialog &dialog) override;
    bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptText) override;
    QString saveFileName(QWidget *parent, const QString &title, const QString &suggestedPath,
                         const QString &filter) override;
    QString openFileName(QWidget *parent, const QString &title, const QString &directory,
                         const QString &filter) override;
};

} // namespace Console
