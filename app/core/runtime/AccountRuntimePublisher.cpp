// SPDX-License-Identifier: MIT
#include "app/core/runtime/AccountRuntimePublisher.h"

#include "app/core/storage/Store.h"

namespace Core {

AccountRuntimePublisher::AccountRuntimePublisher(Store &store, QObject *parent) : QObject(parent), m_store(store)
{
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &AccountRuntimePublisher::publish);
    m_soon.setInterval(ChangeDelayMs);
    m_soon.setSingleShot(true);
    connect(&m_soon, &QTimer::timeout, this, &AccountRuntimePublisher::publish);
}

void AccountRuntimePublisher::reset(const QList<qint64> &accountIds)
{
    m_statuses.clear();
    setAccounts(accountIds);
}

void AccountRuntimePublisher::setAccounts(const QList<qint64> &accountIds)
{
    m_accounts = accountIds;
    for (auto it = m_statuses.begin(); it != m_statuses.end();)
        it = accountIds.contains(it.key()) ? std::next(it) : m_statuses.erase(it);
    publishSoon();
}

void AccountRuntimePublisher::apply(const QList<Proxy::AccountRuntimeStatus> &changes)
{
    for (const Proxy::AccountRuntimeStatus &status : changes)
        if (m_accounts.contains(status.id))
            m_statuses.insert(status.id, status);
    publishSoon();
}

void AccountRuntimePublisher::start()
{
    m_running = true;
    m_heartbeat.start();
    publish();
}

void AccountRuntimePublisher::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_heartbeat.stop();
    m_soon.stop();
    m_store.publishAccountRuntime({});
}

void AccountRuntimePublisher::publishSoon()
{
    if (m_running && !m_soon.isActive())
        m_soon.start();
}

void AccountRuntimePublisher::publish()
{
    if (!m_running)
        return;
    QList<Proxy::AccountRuntimeStatus> statuses;
    statuses.reserve(m_accounts.size());
    for (const qint64 id : std::as_const(m_accounts)) {
        Proxy::AccountRuntimeStatus status = m_statuses.value(id);
        status.id = id; // never reported: as fresh as the pool made it
        statuses.append(status);
    }
    m_store.publishAccountRuntime(statuses);
}

} // namespace Core
