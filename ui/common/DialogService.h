// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QDialog;
class QWidget;

namespace Console {

/// Every modal interaction of the console goes through this seam, so GUI tests can answer
/// dialogs without blocking (the tests install a scripted implementation). Main thread only.
class DialogService
{
public:
    virtual ~DialogService() = default;

    /// Runs @p dialog modally and returns its result (QDialog::Accepted / Rejected).
    virtual int exec(QDialog &dialog) = 0;
    /// A yes/no question; true when the user chose @p acceptText.
    virtual bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptText) = 0;
    /// A file to write; empty when cancelled.
    virtual QString saveFileName(QWidget *parent, const QString &title, const QString &suggestedPath,
                                 const QString &filter) = 0;
    /// A file to read; empty when cancelled.
    virtual QString openFileName(QWidget *parent, const QString &title, const QString &directory,
                                 const QString &filter) = 0;
};

} // namespace Console
