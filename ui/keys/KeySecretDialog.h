// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;

namespace Console {

class ClipboardGuard;

/// Shows one key's plaintext with a Copy button: once after New key / Regenerate (saying where
/// it is kept, or plainly that it cannot be shown again), or on Reveal. The text is wiped from the
/// widget as soon as the dialog closes. GUI thread.
class KeySecretDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Purpose
    {
        Created,
        Regenerated,
        Revealed
    };

    /// @p storedIn names where the plaintext is kept ("your keychain"); empty = nowhere, and
    /// @p problem says why.
    KeySecretDialog(Purpose purpose, const QString &keyName, const QString &plaintext,
                    const QString &storedIn, const QString &problem, ClipboardGuard &clipboard,
                    QWidget *parent = nullptr);

    /// What the dialog shows now (empty after it closed).
    QString shownSecret() const;
    QString message() const;

    void done(int result) override;

protected:
    void hideEvent(QHideEvent *event) override;

private:
    void wipe();

    QLineEdit *m_secret = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace Console
