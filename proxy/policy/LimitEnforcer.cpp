// SPDX-License-Identifier: MIT
#include "proxy/policy/LimitEnforcer.h"

#include "proxy/policy/LimitSchedule.h"
#include "proxy/relay/UsageEstimate.h"

namespace Proxy {

namespace {

constexpr double UnknownModelMicrosPerToken = 2e6 / 16384; // $2 per 16,384 tokens (codex-lb)

QString describe(const KeyLimit &limit)
{
    QString text = shortName(limit.type) + u'/' + shortName(limit.window);
    if (!limit.modelFilter.isEmpty())
        text += QStringLiteral(" (%1)").arg(limit.modelFilter);
    return text;
}

} // namespace

void LimitEnforcer::setBaseline(const QList<HourlyUsage> &rows)
{
    m_ledger.setBaseline(rows);
    m_counts.clear();
}

void LimitEnforcer::applyKeys(const KeySnapshot &keys)
{
    m_limitsByKey.clear();
    for (const KeyEntry &entry : keys.entries())
        if (!entry.policy.limits.isEmpty())
            m_limitsByKey.insert(entry.id, entry.policy.limits);
    m_counts.clear();
}

qint64 LimitEnforcer::current(const KeyEntry &key, const KeyLimit &limit, const QDateTime &now)
{
    const qint64 startHour =
        LimitSchedule::windowStartHour(limit.window, LimitSchedule::anchorOf(limit, key.createdAt), now);
    Count &count = m_counts[limit.id];
    if (count.startHour != startHour || count.value < 0) {
        count.startHour = startHour;
        count.value = std::max<qint64>(0, m_ledger.sum(key.id, limit.type, limit.modelFilter, startHour) -
                                              LimitSchedule::excluded(limit, startHour)) +
                      LimitSchedule::carriedAt(limit, now);
    }
    return count.value;
}

qint64 LimitEnforcer::estimateFor(const KeyLimit &limit, const Estimate &request) const
{
    const TokenUsage reserved = UsageEstimate::reservation(request.bodyBytes);
    switch (limit.type) {
    case LimitType::TotalTokens:
        return reserved.total;
    case LimitType::InputTokens:
        return reserved.input;
    case LimitType::OutputTokens:
        return reserved.output;
    case LimitType::CostMicros:
        if (m_pricing)
            if (const auto cost = m_pricing->costMicros(request.model, reserved))
                return *cost;
        return qint64(double(reserved.total) * UnknownModelMicrosPerToken);
    }
    return 0;
}

PolicyDecision LimitEnforcer::admit(const KeyEntry &key, const Estimate &request, const QDateTime &now)
{
    PolicyDecision decision;
    const auto limits = m_limitsByKey.constFind(key.id);
    if (limits == m_limitsByKey.constEnd())
        return decision;
    Reservation reservation{key.id, {}};
    const KeyLimit *tightest = nullptr;
    int tightestPercent = -1;
    for (const KeyLimit &limit : *limits) {
        if (!limit.appliesTo(request.model))
            continue;
        const qint64 counted = current(key, limit, now);
        const qint64 used = counted + m_reserved.value(limit.id);
        if (used >= limit.maxValue) {
            const QDateTime reset =
                LimitSchedule::resetAt(limit.window, LimitSchedule::anchorOf(limit, key.createdAt), now);
            decision.status = 429;
            decision.type = QStringLiteral("rate_limit_error");
            decision.code = QStringLiteral("rate_limit_exceeded");
            decision.message = QStringLiteral("API key %1 %2 limit exceeded%3. Usage resets at %4.")
                                   .arg(wireName(limit.type), wireName(limit.window),
                                        limit.modelFilter.isEmpty() ? QString()
                                                                    : QStringLiteral(" for model ") + limit.modelFilter,
                                        reset.toString(Qt::ISODate));
            decision.resetsAt = reset.toSecsSinceEpoch();
            decision.trace = QStringLiteral("limit %1 100% \u2192 429").arg(describe(limit));
            for (const auto &[limitId, amount] : std::as_const(reservation.amounts))
                m_reserved[limitId] -= amount;
            return decision;
        }
        const qint64 amount = std::min(limit.maxValue - used, estimateFor(limit, request));
        m_reserved[limit.id] += amount;
        reservation.amounts.append({limit.id, amount});
        const int percent = int(std::min<qint64>(100, counted * 100 / limit.maxValue));
        if (percent > tightestPercent)
            tightest = &limit, tightestPercent = percent;
    }
    if (!tightest)
        return decision;
    decision.trace = QStringLiteral("limit %1 %2% \u2192 allowed").arg(describe(*tightest)).arg(tightestPercent);
    decision.reservation = m_nextReservation++;
    m_reservations.insert(decision.reservation, reservation);
    return decision;
}

void LimitEnforcer::prune(const QDateTime &now)
{
    m_ledger.prune(LimitSchedule::hourOf(now));
}

void LimitEnforcer::release(qint64 reservation)
{
    const Reservation taken = m_reservations.take(reservation);
    for (const auto &[limitId, amount] : taken.amounts)
        if (auto it = m_reserved.find(limitId); it != m_reserved.end() && (*it -= amount) <= 0)
            m_reserved.erase(it);
}

void LimitEnforcer::settle(qint64 reservation, qint64 keyId, const QString &model, const QDateTime &time,
                           const std::optional<TokenUsage> &usage, std::optional<qint64> costMicros)
{
    if (reservation)
        release(reservation);
    if (keyId == 0 || (!usage && !costMicros))
        return;
    HourlyUsage hour;
    hour.keyId = keyId;
    hour.model = model;
    hour.hour = LimitSchedule::hourOf(time);
    if (usage) {
        hour.input = usage->input;
        hour.output = usage->output;
        hour.total = usage->total;
    }
    hour.costMicros = costMicros.value_or(0);
    m_ledger.add(hour);
    for (const KeyLimit &limit : m_limitsByKey.value(keyId))
        if (auto count = m_counts.find(limit.id); count != m_counts.end() && hour.hour >= count->startHour &&
                                                   limit.appliesTo(model))
            count->value += WindowLedger::amount(hour, limit.type);
}

QList<LimitStatus> LimitEnforcer::statuses(const KeyEntry &key, const QDateTime &now)
{
    QList<LimitStatus> result;
    if (!m_limitsByKey.contains(key.id))
        return result; // limits not applied yet: nothing is counted for them
    for (const KeyLimit &limit : key.policy.limits) {
        result.append({key.id, limit, current(key, limit, now),
                       LimitSchedule::resetAt(limit.window, LimitSchedule::anchorOf(limit, key.createdAt), now)});
    }
    return result;
}

} // namespace Proxy
