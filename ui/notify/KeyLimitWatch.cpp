// SPDX-License-Identifier: MIT
#include "ui/notify/KeyLimitWatch.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/KeyService.h"

#include <algorithm>

namespace Console {

KeyLimitWatch::KeyLimitWatch(Core::ProxyRuntime &runtime, QObject *parent)
    : QObject(parent), m_runtime(runtime)
{
    connect(&runtime, &Core::ProxyRuntime::keysChanged, this, &KeyLimitWatch::reloadKeys);
    connect(&runtime, &Core::ProxyRuntime::limitStatusesChanged, this, &KeyLimitWatch::applyReports);
    reloadKeys();
}

void KeyLimitWatch::reloadKeys()
{
    if (!m_runtime.database().isOpen())
        return;
    const auto keys = Core::KeyService(m_runtime.database(), m_runtime.secrets()).list();
    if (!keys)
        return;
    m_keys = keys.value();
    reloadStatuses();
}

void KeyLimitWatch::reloadStatuses()
{
    m_statuses.clear();
    for (const Core::KeyRecord &key : std::as_const(m_keys))
        if (!key.policy.limits.isEmpty())
            m_statuses.insert(key.id, m_runtime.limitStatuses(key.id));
    emit changed();
}

void KeyLimitWatch::applyReports()
{
    if (m_runtime.state() != Core::ProxyRuntime::State::Listening)
        return;
    // The proxy's own counts, no SQL: a report for the same or a later window replaces the count.
    const QHash<qint64, Proxy::LimitStatus> &reported = m_runtime.reportedLimitStatuses();
    bool changedAny = false;
    for (QList<Proxy::LimitStatus> &statuses : m_statuses)
        for (Proxy::LimitStatus &status : statuses)
            if (const auto live = reported.constFind(status.limit.id);
                live != reported.cend() && live->resetAt >= status.resetAt &&
                (live->current != status.current || live->resetAt != status.resetAt)) {
                status.current = live->current;
                status.resetAt = live->resetAt;
                changedAny = true;
            }
    if (changedAny)
        emit changed();
}

QList<KeyLimitUse> KeyLimitWatch::atLeast(int percent, const QDateTime &now) const
{
    QList<KeyLimitUse> uses;
    for (const Core::KeyRecord &key : m_keys)
        for (const Proxy::LimitStatus &status : m_statuses.value(key.id))
            if (status.percent() >= percent && (!status.resetAt.isValid() || status.resetAt > now))
                uses.append({key, status});
    std::stable_sort(uses.begin(), uses.end(), [](const KeyLimitUse &a, const KeyLimitUse &b) {
        return a.status.percent() > b.status.percent();
    });
    return uses;
}

} // namespace Console
