// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/services/ClientSnippets.h"

#include <QDialog>
#include <QList>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace Console {

class ClipboardGuard;

/// "Connect a client": one tab per client (Pi, Codex CLI, Python, Node, curl) with a ready-to-paste
/// snippet holding the key and the real listen address, Copy buttons (key-bearing text is cleared
/// from the clipboard later), and "Write to Pi config". The snippets are wiped when it closes.
/// GUI thread.
class ConnectClientDialog final : public QDialog
{
    Q_OBJECT

public:
    /// @p keyAvailable false: the snippets hold a placeholder instead of the key (it is not stored),
    /// and writing the Pi config is disabled. @p notice is shown above the tabs (may be empty).
    ConnectClientDialog(const Core::ClientSnippets &snippets, const QString &keyName, bool keyAvailable,
                        const QString &notice, ClipboardGuard &clipboard, QWidget *parent = nullptr);

    void setPiConfigPath(const QString &path);
    QString piConfigPath() const { return m_piPath; }

    void done(int result) override;

protected:
    void hideEvent(QHideEvent *event) override;

private:
    QPlainTextEdit *addSnippet(QWidget *tab, const QString &id, const QString &label, const QString &text,
                               bool holdsKey);
    void writePiConfig();
    void wipe();

    Core::ClientSnippets m_snippets;
    ClipboardGuard &m_clipboard;
    QTabWidget *m_tabs = nullptr;
    QList<QPlainTextEdit *> m_texts;
    QPushButton *m_writePi = nullptr;
    QLabel *m_piPathLabel = nullptr;
    QLabel *m_piStatus = nullptr;
    QString m_piPath;
};

} // namespace Console
