// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/LimitStatus.h"

#include "app/core/storage/KeyRecord.h"

#include <QHash>
#include <QObject>

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
/// notifications: counted from the request log when the keys change (ProxyRuntime::limitStatuses),
/// then updated from the running proxy's batched limit reports without SQL. GUI thread.
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
    void applyReports();

    Core::ProxyRuntime &m_runtime;
    QList<Core::KeyRecord> m_keys;
    QHash<qint64, QList<Proxy::LimitStatus>> m_statuses; // key id → its limits
};

} // namespace Console
