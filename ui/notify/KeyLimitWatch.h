// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/LimitStatus.h"

#include "app/core/storage/KeyRecord.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace Core {
class ProxyRuntime;
}

namespace Console {

/// One limit of one key and where it stands.
struct KeyLimitUse final
{
    Core::KeyRecord key;
    Proxy::LimitStatus status;
};

/// The keys and where each of their limits stands, kept in memory for the overview and the
/// notifications: read again when the keys change and, at most every 250 ms, when the proxy
/// reports new limit counts (ProxyRuntime::limitStatuses, as the Keys page does). Nothing is read
/// per request or per repaint. GUI thread.
class KeyLimitWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyLimitWatch)

public:
    explicit KeyLimitWatch(Core::ProxyRuntime &runtime, QObject *parent = nullptr);

    const QList<Core::KeyRecord> &keys() const { return m_keys; }
    /// Limits at or above @p percent used whose window has not ended at @p now, fullest first.
    QList<KeyLimitUse> atLeast(int percent, const QDateTime &now) const;

signals:
    void changed();

private:
    void reloadKeys();
    void reloadStatuses();

    Core::ProxyRuntime &m_runtime;
    QList<Core::KeyRecord> m_keys;
    QHash<qint64, QList<Proxy::LimitStatus>> m_statuses; // key id → its limits
    QTimer m_statusTimer;
};

} // namespace Console
