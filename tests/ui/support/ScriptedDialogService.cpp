// SPDX-License-Identifier: MIT
#include "tests/ui/support/ScriptedDialogService.h"

#include <QDialog>
#include <QTest>

namespace Console {

int ScriptedDialogService::exec(QDialog &dialog)
{
    m_dialogTitles.append(dialog.windowTitle());
    if (m_dialogs.isEmpty()) {
        m_unexpected.append(QStringLiteral("dialog: ") + dialog.windowTitle());
        return QDialog::Rejected;
    }
    dialog.show();
    if (!QTest::qWaitForWindowExposed(&dialog))
        m_unexpected.append(QStringLiteral("dialog not exposed: ") + dialog.windowTitle());
    const int result = m_dialogs.dequeue()(dialog);
    dialog.hide();
    return result;
}

bool ScriptedDialogService::confirm(QWidget *, const QString &title, const QString &text, const QString &)
{
    m_confirmTexts.append(text);
    if (m_confirms.isEmpty()) {
        m_unexpected.append(QStringLiteral("confirm: ") + title);
        return false;
    }
    return m_confirms.dequeue();
}

QString ScriptedDialogService::saveFileName(QWidget *, const QString &title, const QString &, const QString &)
{
    if (m_files.isEmpty()) {
        m_unexpected.append(QStringLiteral("save file: ") + title);
        return {};
    }
    return m_files.dequeue();
}

QString ScriptedDialogService::openFileName(QWidget *, const QString &title, const QString &, const QString &)
{
    if (m_files.isEmpty()) {
        m_unexpected.append(QStringLiteral("open file: ") + title);
        return {};
    }
    return m_files.dequeue();
}

} // namespace Console
