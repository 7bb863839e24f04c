// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

namespace Console {

/// Puts a secret on the clipboard and clears it again after an interval (60 s by default), as
/// password managers do, unless the clipboard has changed meanwhile. The data carries the KDE
/// password-manager hint so clipboard histories skip it. Also clears on destruction if the secret
/// is still there. GUI thread.
class ClipboardGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClipboardGuard)

public:
    static constexpr std::chrono::milliseconds DefaultInterval{60000};

    explicit ClipboardGuard(QObject *parent = nullptr);
    ~ClipboardGuard() override;

    void setClearInterval(std::chrono::milliseconds interval) { m_timer.setInterval(interval); }
    std::chrono::milliseconds clearInterval() const { return m_timer.intervalAsDuration(); }

    /// Copies @p secret; the previous pending clear (if any) is replaced.
    void copy(const QString &secret);
    /// Copies @p text; not cleared later.
    static void copyPlain(const QString &text);
    /// A copied secret is waiting to be cleared.
    bool isPending() const { return m_timer.isActive(); }

signals:
    /// The interval passed; @p cleared is false when the clipboard held something else by then.
    void expired(bool cleared);

private:
    bool clearIfUnchanged();

    QTimer m_timer;
    QString m_secret;
};

} // namespace Console
