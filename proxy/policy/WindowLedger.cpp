// SPDX-License-Identifier: MIT
#include "proxy/policy/WindowLedger.h"

namespace Proxy {

void WindowLedger::setBaseline(const QList<HourlyUsage> &rows)
{
    m_byKey.clear();
    for (const HourlyUsage &row : rows)
        add(row);
}

void WindowLedger::add(const HourlyUsage &usage)
{
    if (usage.keyId == 0)
        return;
    HourlyUsage &slot = m_byKey[usage.keyId][usage.hour][usage.model];
    slot.keyId = usage.keyId;
    slot.model = usage.model;
    slot.hour = usage.hour;
    slot.input += usage.input;
    slot.output += usage.output;
    slot.total += usage.total;
    slot.costMicros += usage.costMicros;
}

qint64 WindowLedger::amount(const HourlyUsage &usage, LimitType type)
{
    switch (type) {
    case LimitType::TotalTokens:
        return usage.total;
    case LimitType::InputTokens:
        return usage.input;
    case LimitType::OutputTokens:
        return usage.output;
    case LimitType::CostMicros:
        return usage.costMicros;
    }
    return 0;
}

qint64 WindowLedger::sum(qint64 keyId, LimitType type, const QString &modelFilter, qint64 fromHour) const
{
    const auto key = m_byKey.constFind(keyId);
    if (key == m_byKey.constEnd())
        return 0;
    qint64 total = 0;
    for (auto hour = key->lower_bound(fromHour); hour != key->end(); ++hour) {
        if (modelFilter.isEmpty()) {
            for (const HourlyUsage &usage : hour->second)
                total += amount(usage, type);
        } else if (const auto model = hour->second.constFind(modelFilter); model != hour->second.constEnd()) {
            total += amount(*model, type);
        }
    }
    return total;
}

void WindowLedger::prune(qint64 currentHour)
{
    for (auto key = m_byKey.begin(); key != m_byKey.end();) {
        key->erase(key->begin(), key->lower_bound(currentHour - RetainedHours));
        key = key->empty() ? m_byKey.erase(key) : std::next(key);
    }
}

} // namespace Proxy
