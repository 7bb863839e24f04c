// SPDX-License-Identifier: MIT
#pragma once

#include "tests/ui/support/ConsoleHarness.h"

#include "ui/keys/KeyTableModel.h"
#include "ui/keys/KeysPage.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace Console {

/// Drives the Keys page of a console window the way a user does: tool buttons, the scripted
/// dialogs and the table. Shared by the Keys page tests.
class KeysPageDriver final
{
public:
    explicit KeysPageDriver(ConsoleHarness &console) : KeysPageDriver(console.window(), console.dialogs()) {}
    KeysPageDriver(MainWindow &window, ScriptedDialogService &dialogs);

    KeysPage &page() const { return *m_page; }
    KeyTableModel &model() const { return m_page->model(); }

    /// What the secret dialog showed.
    struct Shown final
    {
        QString plaintext;
        QString message;
        QString title;
        bool wipedOnClose = false;
    };

    /// New key → fills the dialog → returns what the one-time secret dialog showed (empty plaintext
    /// when no secret dialog came).
    Shown createKey(const QString &name, const std::optional<QDateTime> &expiresAt = std::nullopt,
                    const QString &note = {});
    /// Queues a handler that records the next secret dialog into @p shown and closes it.
    void expectSecretDialog(Shown &shown);
    /// Clicks the row of the key named @p name (false when it is not shown or not selected then).
    bool select(const QString &name);
    /// Clicks the tool button @p objectName ("revealKeyButton", …).
    void click(const QString &objectName);
    /// The source row of @p name, -1 when missing.
    int rowOf(const QString &name) const;
    /// Number of rows the table shows (after filtering).
    int visibleRows() const;
    qint64 idOf(const QString &name) const;

private:
    ScriptedDialogService &m_dialogs;
    KeysPage *m_page = nullptr;
};

} // namespace Console
