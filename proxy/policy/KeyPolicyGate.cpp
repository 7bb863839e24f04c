// SPDX-License-Identifier: MIT
#include "proxy/policy/KeyPolicyGate.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/policy/AccessCheck.h"

#include <QJsonObject>

namespace Proxy {

void KeyPolicyGate::applyKeys(const KeySnapshot &keys)
{
    m_limits.applyKeys(keys);
    markAllLimitedKeys();
}

void KeyPolicyGate::setBaseline(const QList<HourlyUsage> &rows)
{
    m_limits.setBaseline(rows);
    markAllLimitedKeys();
}

void KeyPolicyGate::refresh(const QDateTime &now)
{
    m_limits.prune(now);
    markAllLimitedKeys();
}

void KeyPolicyGate::markAllLimitedKeys()
{
    const QList<qint64> limited = m_limits.limitedKeys();
    m_changed.unite(QSet<qint64>(limited.cbegin(), limited.cend()));
}

PolicyDecision KeyPolicyGate::decide(const KeyEntry &key, const QString &model, const QString &effort, qint64 bodyBytes)
{
    const PolicyDecision access = checkAccess(key.policy, model, effort);
    if (!access.allowed())
        return access;
    PolicyDecision limits = m_limits.admit(key, {model, bodyBytes}, QDateTime::currentDateTimeUtc());
    if (!access.trace.isEmpty())
        limits.trace = limits.trace.isEmpty() ? access.trace : access.trace + QStringLiteral("; ") + limits.trace;
    return limits;
}

QByteArray KeyPolicyGate::refusalBody(const PolicyDecision &refused, HttpHeaders &headers)
{
    QJsonObject extra;
    if (!refused.param.isEmpty())
        extra.insert(QStringLiteral("param"), refused.param);
    headers.set("Content-Type", "application/json");
    if (refused.resetsAt) {
        extra.insert(QStringLiteral("resets_at"), *refused.resetsAt);
        const qint64 wait = *refused.resetsAt - QDateTime::currentSecsSinceEpoch();
        headers.set("Retry-After", QByteArray::number(std::max<qint64>(1, wait)));
    }
    return errorEnvelope(refused.message, refused.type, refused.code, extra);
}

void KeyPolicyGate::settle(qint64 reservation, qint64 keyId, const QString &model, const QDateTime &time,
                           const std::optional<TokenUsage> &usage, std::optional<qint64> costMicros)
{
    m_limits.settle(reservation, keyId, model, time, usage, costMicros);
    if (keyId != 0 && (usage || reservation != 0))
        m_changed.insert(keyId);
}

QList<LimitStatus> KeyPolicyGate::takeChangedStatuses(const KeySnapshot &keys, const QDateTime &now)
{
    QList<LimitStatus> statuses;
    for (const qint64 keyId : std::exchange(m_changed, {}))
        if (const KeyEntry *key = keys.findById(keyId))
            statuses.append(m_limits.statuses(*key, now));
    return statuses;
}

} // namespace Proxy
