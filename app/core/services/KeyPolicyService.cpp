// SPDX-License-Identifier: MIT
#include "app/core/services/KeyPolicyService.h"

#include "app/core/storage/Database.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/KeyRepository.h"
#include "app/core/storage/SqlUtil.h"

#include "proxy/policy/LimitSchedule.h"

#include <QRegularExpression>

#include <cmath>

namespace Core {

namespace {

QStringList cleaned(const QStringList &values)
{
    QStringList result;
    for (const QString &value : values) {
        const QString trimmed = value.trimmed();
        if (!trimmed.isEmpty() && !result.contains(trimmed))
            result.append(trimmed);
    }
    return result;
}

bool sameRule(const Proxy::KeyLimit &a, const Proxy::KeyLimit &b)
{
    return a.type == b.type && a.window == b.window && a.modelFilter == b.modelFilter;
}

} // namespace

KeyPolicyService::KeyPolicyService(Database &database) : m_database(database) {}

Result<Proxy::KeyLimit> KeyPolicyService::addLimit(qint64 keyId, Proxy::LimitType type, Proxy::LimitWindow window,
                                                   qint64 maxValue, const QString &model)
{
    if (maxValue <= 0)
        return Result<Proxy::KeyLimit>::failure(QStringLiteral("the maximum must be greater than 0"));
    const auto key = KeyRepository(m_database.connection()).findById(keyId);
    if (!key)
        return Result<Proxy::KeyLimit>::failure(key.error());
    if (!key.value())
        return Result<Proxy::KeyLimit>::failure(QStringLiteral("no key with id %1").arg(keyId));
    KeyLimitRepository limits(m_database.connection());
    const auto existing = limits.forKey(keyId);
    if (!existing)
        return Result<Proxy::KeyLimit>::failure(existing.error());
    Proxy::KeyLimit limit{0, type, window, maxValue, model.trimmed()};
    for (const Proxy::KeyLimit &other : existing.value())
        if (sameRule(other, limit))
            return Result<Proxy::KeyLimit>::failure(
                QStringLiteral("the key already has a %1/%2 limit%3 (id %4); remove it first")
                    .arg(Proxy::shortName(type), Proxy::shortName(window),
                         limit.modelFilter.isEmpty() ? QString() : QStringLiteral(" for ") + limit.modelFilter)
                    .arg(other.id));
    const Result<qint64> id = limits.insert(keyId, limit, QDateTime::currentDateTimeUtc());
    if (!id)
        return Result<Proxy::KeyLimit>::failure(id.error());
    limit.id = id.value();
    return limit;
}

Status KeyPolicyService::removeLimit(qint64 keyId, qint64 limitId)
{
    return KeyLimitRepository(m_database.connection()).remove(keyId, limitId);
}

Status KeyPolicyService::replaceLimits(qint64 keyId, const QList<Proxy::KeyLimit> &wanted)
{
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        if (wanted[i].maxValue <= 0)
            return Status::failure(QStringLiteral("the maximum must be greater than 0"));
        for (qsizetype j = 0; j < i; ++j)
            if (sameRule(wanted[i], wanted[j]))
                return Status::failure(QStringLiteral("two limits count the same thing (%1/%2)")
                                           .arg(Proxy::shortName(wanted[i].type), Proxy::shortName(wanted[i].window)));
    }
    KeyLimitRepository limits(m_database.connection());
    const auto existing = limits.forKey(keyId);
    if (!existing)
        return existing.status();
    if (const Status begin = Sql::exec(m_database.connection(), QStringLiteral("BEGIN IMMEDIATE")); !begin)
        return begin;
    Status status = Status::success();
    for (const Proxy::KeyLimit &old : existing.value()) {
        const auto kept = std::find_if(wanted.cbegin(), wanted.cend(),
                                       [&](const Proxy::KeyLimit &limit) { return sameRule(limit, old); });
        status = kept == wanted.cend() ? limits.remove(keyId, old.id)
                 : kept->maxValue != old.maxValue ? limits.updateMax(keyId, old.id, kept->maxValue)
                                                  : Status::success();
        if (!status)
            break;
    }
    for (qsizetype i = 0; status && i < wanted.size(); ++i) {
        const bool isNew = std::none_of(existing.value().cbegin(), existing.value().cend(),
                                        [&](const Proxy::KeyLimit &old) { return sameRule(old, wanted[i]); });
        if (isNew) {
            Proxy::KeyLimit limit = wanted[i];
            limit.modelFilter = limit.modelFilter.trimmed();
            status = limits.insert(keyId, limit, QDateTime::currentDateTimeUtc()).status();
        }
    }
    Sql::exec(m_database.connection(), status ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
    return status;
}

Status KeyPolicyService::changePolicy(qint64 keyId, const Proxy::KeyPolicy &from, const Proxy::KeyPolicy &to)
{
    Status status = Status::success();
    if (to.limits != from.limits)
        status = replaceLimits(keyId, to.limits);
    if (status && to.allowedModels != from.allowedModels)
        status = setAllowedModels(keyId, to.allowedModels);
    if (status && to.allowedEfforts != from.allowedEfforts)
        status = setAllowedEfforts(keyId, to.allowedEfforts);
    return status;
}

Status KeyPolicyService::setAllowedModels(qint64 keyId, const QStringList &models)
{
    return KeyRepository(m_database.connection()).setAllowedModels(keyId, cleaned(models));
}

Status KeyPolicyService::setAllowedEfforts(qint64 keyId, const QStringList &efforts)
{
    const QStringList wanted = cleaned(efforts);
    for (const QString &effort : wanted)
        if (!Proxy::knownReasoningEfforts().contains(effort))
            return Status::failure(QStringLiteral("unknown reasoning effort \"%1\" (expected one of %2)")
                                       .arg(effort, Proxy::knownReasoningEfforts().join(QStringLiteral(", "))));
    return KeyRepository(m_database.connection()).setAllowedEfforts(keyId, wanted);
}

Result<QList<Proxy::LimitStatus>> KeyPolicyService::limitStatuses(qint64 keyId, const QDateTime &now) const
{
    const auto key = KeyRepository(m_database.connection()).findById(keyId);
    if (!key)
        return Result<QList<Proxy::LimitStatus>>::failure(key.error());
    if (!key.value())
        return Result<QList<Proxy::LimitStatus>>::failure(QStringLiteral("no key with id %1").arg(keyId));
    KeyLimitRepository repository(m_database.connection());
    const auto limits = repository.forKey(keyId);
    if (!limits)
        return Result<QList<Proxy::LimitStatus>>::failure(limits.error());
    QList<Proxy::LimitStatus> statuses;
    for (const Proxy::KeyLimit &limit : limits.value()) {
        // The proxy's arithmetic (LimitEnforcer::current), on the request log instead of its hourly ledger.
        const QDateTime anchor = Proxy::LimitSchedule::anchorOf(limit, key.value()->createdAt);
        const QDateTime start = Proxy::LimitSchedule::windowStart(limit.window, anchor, now);
        const Result<qint64> used = repository.usageSince(keyId, limit.type, limit.modelFilter, start);
        if (!used)
            return Result<QList<Proxy::LimitStatus>>::failure(used.error());
        const qint64 counted =
            std::max<qint64>(0, used.value() - Proxy::LimitSchedule::excluded(limit, Proxy::LimitSchedule::hourOf(start)));
        statuses.append({keyId, limit, counted + Proxy::LimitSchedule::carriedAt(limit, now),
                         Proxy::LimitSchedule::resetAt(limit.window, anchor, now)});
    }
    return statuses;
}

Result<Proxy::LimitType> KeyPolicyService::parseType(const QString &text)
{
    if (const auto type = Proxy::limitTypeFromString(text.trimmed().toLower()))
        return *type;
    return Result<Proxy::LimitType>::failure(
        QStringLiteral("unknown limit type \"%1\" (expected tokens, input, output or cost)").arg(text));
}

Result<Proxy::LimitWindow> KeyPolicyService::parseWindow(const QString &text)
{
    if (const auto window = Proxy::limitWindowFromString(text.trimmed().toLower()))
        return *window;
    return Result<Proxy::LimitWindow>::failure(
        QStringLiteral("unknown limit window \"%1\" (expected 5h, day, week or month)").arg(text));
}

Result<qint64> KeyPolicyService::parseMax(Proxy::LimitType type, const QString &text)
{
    QString plain = text.trimmed();
    plain.remove(u'_');
    plain.remove(u',');
    if (type == Proxy::LimitType::CostMicros) {
        if (plain.startsWith(u'$'))
            plain.remove(0, 1);
        static const QRegularExpression usd(QStringLiteral("^\\d{1,9}(\\.\\d{1,6})?$"));
        if (!usd.match(plain).hasMatch() || plain.toDouble() <= 0)
            return Result<qint64>::failure(
                QStringLiteral("a cost limit is a positive amount of USD with at most 6 decimals, e.g. 5 or 2.50 (got \"%1\")")
                    .arg(text));
        return qint64(std::llround(plain.toDouble() * 1e6));
    }
    bool ok = false;
    const qint64 value = plain.toLongLong(&ok);
    if (!ok || value <= 0)
        return Result<qint64>::failure(QStringLiteral("a token limit is a positive whole number (got \"%1\")").arg(text));
    return value;
}

QString KeyPolicyService::formatAmount(Proxy::LimitType type, qint64 value)
{
    if (type == Proxy::LimitType::CostMicros)
        return QStringLiteral("$") + QString::number(double(value) / 1e6, 'f', value % 10'000 == 0 ? 2 : 6);
    return groupedDigits(value) + QStringLiteral(" tokens");
}

QString KeyPolicyService::groupedDigits(qint64 value)
{
    QString digits = QString::number(value);
    for (qsizetype at = digits.size() - 3; at > (value < 0 ? 1 : 0); at -= 3)
        digits.insert(at, u',');
    return digits;
}

} // namespace Core
