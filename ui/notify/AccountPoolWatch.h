// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/routing/UpstreamAccount.h"

#include "app/core/storage/AccountRecord.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace Core {
class ProxyRuntime;
}

namespace Console {

/// The upstream accounts and what the running proxy reported about them (cooldowns, backoff,
/// failed refreshes), kept in memory: the rows are read when the configuration changes, the
/// statuses arrive batched with ProxyRuntime::accountStatusChanged. Never SQL per request. GUI thread.
class AccountPoolWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountPoolWatch)

public:
    explicit AccountPoolWatch(Core::ProxyRuntime &runtime, QObject *parent = nullptr);

    const QList<Core::AccountRecord> &accounts() const { return m_accounts; }
    Proxy::AccountRuntimeStatus status(qint64 accountId) const { return m_statuses.value(accountId); }

    int availableCount(const QDateTime &now) const;
    /// Active accounts (not paused, not waiting for a login) that are rate limited at @p now; true
    /// only when there is at least one and every active account is.
    bool allRateLimited(const QDateTime &now) const;
    /// The earliest moment an unavailable active account comes back (end of a cooldown or backoff);
    /// invalid when none is waiting.
    QDateTime soonestReturn(const QDateTime &now) const;
    /// Accounts stored as needs-reauth or whose refresh failed in the running proxy.
    QList<Core::AccountRecord> needingReauth() const;
    /// "2 of 3 accounts available · next back in 3m 20s", "no upstream accounts".
    QString summary(const QDateTime &now) const;

signals:
    void changed();

private:
    void reload();
    bool isActive(const Core::AccountRecord &record) const;

    Core::ProxyRuntime &m_runtime;
    QList<Core::AccountRecord> m_accounts;
    QHash<qint64, Proxy::AccountRuntimeStatus> m_statuses;
};

} // namespace Console
