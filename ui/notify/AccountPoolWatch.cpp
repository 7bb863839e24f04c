// SPDX-License-Identifier: MIT
#include "ui/notify/AccountPoolWatch.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/AccountRepository.h"

#include "ui/accounts/AccountStatusText.h"

namespace Console {

AccountPoolWatch::AccountPoolWatch(Core::ProxyRuntime &runtime, QObject *parent)
    : QObject(parent), m_runtime(runtime)
{
    connect(&runtime, &Core::ProxyRuntime::configChanged, this, &AccountPoolWatch::reload);
    connect(&runtime, &Core::ProxyRuntime::accountStatusChanged, this,
            [this](const QList<Proxy::AccountRuntimeStatus> &statuses) {
                for (const Proxy::AccountRuntimeStatus &status : statuses)
                    m_statuses.insert(status.id, status);
                emit changed();
            });
    reload();
}

void AccountPoolWatch::reload()
{
    // On configuration changes only (a page or the CLI changed accounts), never per request.
    if (!m_runtime.database().isOpen())
        return;
    if (const auto accounts = Core::AccountRepository(m_runtime.database().connection()).list()) {
        m_accounts = accounts.value();
        emit changed();
    }
}

bool AccountPoolWatch::isActive(const Core::AccountRecord &record) const
{
    return record.state == Proxy::AccountState::Active && !m_statuses.value(record.id).needsReauth;
}

int AccountPoolWatch::availableCount(const QDateTime &now) const
{
    int available = 0;
    for (const Core::AccountRecord &record : m_accounts)
        if (AccountStatusText::isAvailable(record, m_statuses.value(record.id), now))
            ++available;
    return available;
}

bool AccountPoolWatch::allRateLimited(const QDateTime &now) const
{
    int active = 0;
    for (const Core::AccountRecord &record : m_accounts) {
        if (!isActive(record))
            continue;
        ++active;
        if (!m_statuses.value(record.id).isCoolingDown(now))
            return false;
    }
    return active > 0;
}

QDateTime AccountPoolWatch::soonestReturn(const QDateTime &now) const
{
    QDateTime soonest;
    for (const Core::AccountRecord &record : m_accounts) {
        if (!isActive(record))
            continue;
        const Proxy::AccountRuntimeStatus status = m_statuses.value(record.id);
        for (const QDateTime &until : {status.cooldownUntil, status.backoffUntil})
            if (until.isValid() && until > now && (!soonest.isValid() || until < soonest))
                soonest = until;
    }
    return soonest;
}

QList<Core::AccountRecord> AccountPoolWatch::needingReauth() const
{
    QList<Core::AccountRecord> accounts;
    for (const Core::AccountRecord &record : m_accounts)
        if (record.state == Proxy::AccountState::NeedsReauth || m_statuses.value(record.id).needsReauth)
            accounts.append(record);
    return accounts;
}

QString AccountPoolWatch::summary(const QDateTime &now) const
{
    if (m_accounts.isEmpty())
        return tr("no upstream accounts");
    QString text = tr("%1 of %2 accounts available").arg(availableCount(now)).arg(m_accounts.size());
    if (const QDateTime soonest = soonestReturn(now); soonest.isValid())
        text += tr(" · next back %1").arg(AccountStatusText::countdown(soonest, now));
    if (const qsizetype reauth = needingReauth().size(); reauth > 0)
        text += tr(" · %n need(s) a new sign-in", nullptr, int(reauth));
    return text;
}

} // namespace Console
