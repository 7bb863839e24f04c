// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/routing/UpstreamAccount.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

namespace Core {

class Store;

/// Keeps the running pool's state — every account, from the proxy's batched status changes — and
/// publishes the whole of it to `account_runtime` through the store thread (no SQL here): every
/// HeartbeatMs, so readers can tell a live instance from a dead one
/// (AccountRuntimeRepository::StaleAfterSeconds), and ChangeDelayMs after a change. A clean stop
/// clears the rows. Main thread.
class AccountRuntimePublisher final : public QObject
{
    Q_DISABLE_COPY_MOVE(AccountRuntimePublisher)

public:
    static constexpr int HeartbeatMs = 5000;
    static constexpr int ChangeDelayMs = 200;

    explicit AccountRuntimePublisher(Store &store, QObject *parent = nullptr);

    /// A new pool (the proxy starts): every account starts fresh. Nothing is published before start().
    void reset(const QList<qint64> &accountIds);
    /// The pool's accounts were re-applied: removed ones are dropped, new ones start fresh.
    void setAccounts(const QList<qint64> &accountIds);
    /// Status changes the proxy reported.
    void apply(const QList<Proxy::AccountRuntimeStatus> &changes);
    /// The proxy listens: publish now and then on every heartbeat.
    void start();
    /// The proxy stopped: clear the published rows (queued to the store ahead of its final flush).
    void stop();

private:
    void publishSoon();
    void publish();

    Store &m_store;
    QList<qint64> m_accounts; ///< in routing order
    QHash<qint64, Proxy::AccountRuntimeStatus> m_statuses;
    QTimer m_heartbeat;
    QTimer m_soon;
    bool m_running = false;
};

} // namespace Core
