// SPDX-License-Identifier: MIT
#pragma once

#include "ui/common/DialogService.h"

#include <QQueue>
#include <QStringList>

#include <functional>

namespace Console {

/// The dialog seam for GUI tests: nothing blocks. Each modal dialog is shown non-modally and handed
/// to the next queued handler, which fills it in (keyClicks, mouseClick, findChild) and returns the
/// result. Questions and file choices take queued answers. Unanswered prompts fail softly: they are
/// recorded in unexpected() and answered "cancel".
class ScriptedDialogService final : public DialogService
{
public:
    using DialogHandler = std::function<int(QDialog &)>;

    void onNextDialog(DialogHandler handler) { m_dialogs.enqueue(std::move(handler)); }
    void answerNextConfirm(bool accept) { m_confirms.enqueue(accept); }
    void answerNextFile(const QString &path) { m_files.enqueue(path); }

    QStringList confirmTexts() const { return m_confirmTexts; } ///< every confirm() text, in order
    QStringList dialogTitles() const { return m_dialogTitles; } ///< every exec()'d dialog's title
    QStringList unexpected() const { return m_unexpected; }

    int exec(QDialog &dialog) override;
    bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptText) override;
    QString saveFileName(QWidget *parent, const QString &title, const QString &suggestedPath,
                         const QString &filter) override;
    QString openFileName(QWidget *parent, const QString &title, const QString &directory,
                         const QString &filter) override;

private:
    QQueue<DialogHandler> m_dialogs;
    QQueue<bool> m_confirms;
    QQueue<QString> m_files;
    QStringList m_confirmTexts;
    QStringList m_dialogTitles;
    QStringList m_unexpected;
};

} // namespace Console
