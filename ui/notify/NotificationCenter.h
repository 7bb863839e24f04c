// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/NotificationMutes.h"

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Core {
class ProxyRuntime;
}

namespace Console {

class AccountPoolWatch;
class KeyLimitWatch;

/// One notification to show.
struct Notification final
{
    Core::NotificationKind kind = Core::NotificationKind::ProxyDown;
    QString title;
    QString text;
};

/// Decides when to notify: a key used up a limit, an account needs a new sign-in, every account is
/// rate limited (with the soonest reset), the proxy stopped or could not start, a key expires within
/// 3 days. Watches the same in-memory feeds as the pages and emits each notification once per
/// occurrence: a condition that stays true is not repeated; it notifies again only after it cleared
/// and came back (a limit: once per window). A muted kind is not emitted (the mute is read when one
/// is due). No widgets: NotificationPresenter shows them. GUI thread.
class NotificationCenter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationCenter)

public:
    static constexpr qint64 ExpiryWarningSeconds = 3 * 24 * 3600;

    explicit NotificationCenter(Core::ProxyRuntime &runtime, QObject *parent = nullptr);
    ~NotificationCenter() override;

signals:
    void notified(const Console::Notification &notification);

private:
    /// Compares the conditions with the last evaluation and notifies the new ones.
    void evaluate();
    void proxyStopped();
    /// Emits unless @p kind is muted.
    void notify(Core::NotificationKind kind, const QString &title, const QString &text);

    Core::ProxyRuntime &m_runtime;
    KeyLimitWatch *m_limits = nullptr;
    AccountPoolWatch *m_pool = nullptr;
    QTimer m_timer;         // cooldowns end and expiry dates come closer without any signal
    QTimer m_stopGrace;     // a stop is told when the proxy is still stopped after it
    QSet<QString> m_active; // the occurrences seen by the last evaluate()
};

} // namespace Console

Q_DECLARE_METATYPE(Console::Notification)
