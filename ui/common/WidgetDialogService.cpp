// SPDX-License-Identifier: MIT
#include "ui/common/WidgetDialogService.h"

#include <QDialog>
#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

namespace Console {

int WidgetDialogService::exec(QDialog &dialog)
{
    return dialog.exec();
}

bool WidgetDialogService::confirm(QWidget *parent, const QString &title, const QString &text,
                                  const QString &acceptText)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    QPushButton *accept = box.addButton(acceptText, QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

QString WidgetDialogService::saveFileName(QWidget *parent, const QString &title, const QString &suggestedPath,
                                          const QString &filter)
{
    return QFileDialog::getSaveFileName(parent, title, suggestedPath, filter);
}

QString WidgetDialogService::openFileName(QWidget *parent, const QString &title, const QString &directory,
                                          const QString &filter)
{
    return QFileDialog::getOpenFileName(parent, title, directory, filter);
}

} // namespace Console
