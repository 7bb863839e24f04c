// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/KeyRecord.h"

#include "ui/shell/ConsoleContext.h"

#include <QObject>

#include <optional>

class QAction;
class QWidget;

namespace Console {

class ClipboardGuard;
class CopyFeedback;
class MessageBanner;

/// The Keys page's Reveal and Copy actions: they read the selected key's plaintext from the secret
/// store into the secret dialog or the clipboard guard. A key imported from codex-lb has no plaintext
/// Keygate could read (codex-lb kept only its hash): for it both actions are disabled and their
/// tooltips say why. GUI thread.
class KeyPlaintextActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyPlaintextActions)

public:
    KeyPlaintextActions(ConsoleContext &context, ClipboardGuard &clipboard, MessageBanner &banner, QAction &reveal,
                        QAction &copy, QWidget &dialogParent);
    ~KeyPlaintextActions() override;

    /// Enables the actions for @p key (none selected: disabled) and sets their tooltips.
    void follow(const std::optional<Core::KeyRecord> &key);
    void reveal(const Core::KeyRecord &key);
    void copy(const Core::KeyRecord &key);

    /// The tooltip of both actions for an imported key.
    static QString importedToolTip();

private:
    /// @p key's plaintext; on failure shows @p failureText (%1 the name, %2 the error) and returns nothing.
    std::optional<QString> plaintext(const Core::KeyRecord &key, const QString &failureText);

    ConsoleContext &m_context;
    ClipboardGuard &m_clipboard;
    MessageBanner &m_banner;
    QAction &m_reveal;
    QAction &m_copy;
    QWidget &m_dialogParent;
    CopyFeedback *m_copyFeedback = nullptr;
    QString m_revealToolTip;
    QString m_copyToolTip;
};

} // namespace Console
