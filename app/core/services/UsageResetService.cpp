// SPDX-License-Identifier: MIT
#include "app/core/services/UsageResetService.h"

#include "app/core/storage/Database.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/KeyRepository.h"
#include "app/core/storage/RecordWriter.h"
#include "app/core/storage/SqlUtil.h"

#include "proxy/policy/LimitSchedule.h"

#include <QDir>

namespace Core {

namespace {

QString limitName(const Proxy::KeyLimit &limit)
{
    return Proxy::shortName(limit.type) + u'/' + Proxy::shortName(limit.window) +
           (limit.modelFilter.isEmpty() ? QString() : u':' + limit.modelFilter) +
           QStringLiteral(" (limit %1)").arg(limit.id);
}

Proxy::AuthTrace traceOf(const UsageReset &reset, UsageResetService::Origin origin)
{
    QStringList names;
    for (const Proxy::KeyLimit &limit : reset.limits)
        names.append(limitName(limit));
    const QString how = origin == UsageResetService::Origin::Cli ? QStringLiteral("keygate keys reset-usage")
                                                                 : QStringLiteral("console: Reset usage");
    Proxy::AuthTrace trace;
    trace.time = reset.at;
    trace.peer = UsageResetService::operatorName();
    trace.path = how;
    trace.verdict = Proxy::AuthVerdict::Reset;
    trace.keyId = reset.key.id;
    trace.keyName = reset.key.name;
    trace.policy = QStringLiteral("usage reset: ") + names.join(QStringLiteral(", "));
    trace.reason = QStringLiteral("by %1 via %2").arg(trace.peer, how);
    return trace;
}

} // namespace

UsageResetService::UsageResetService(Database &database) : m_database(database) {}

QString UsageResetService::operatorName()
{
    for (const char *variable : {"USER", "LOGNAME", "USERNAME"})
        if (const QString name = qEnvironmentVariable(variable).trimmed(); !name.isEmpty())
            return name;
    // Services and CI often run without those; the home directory is named after the user.
    const QString home = QDir::home().dirName();
    return home.isEmpty() ? QStringLiteral("unknown") : home;
}

Result<UsageReset> UsageResetService::reset(qint64 keyId, std::optional<qint64> limitId, Origin origin)
{
    const QSqlDatabase db = m_database.connection();
    const auto key = KeyRepository(db).findById(keyId);
    if (!key)
        return Result<UsageReset>::failure(key.error());
    if (!key.value())
        return Result<UsageReset>::failure(QStringLiteral("no key with id %1").arg(keyId));
    // One write transaction: the offsets are read from the same request log the reset is written against.
    if (const Status begin = Sql::exec(db, QStringLiteral("BEGIN IMMEDIATE")); !begin)
        return Result<UsageReset>::failure(begin);
    const auto rollBack = [&db](const QString &error) {
        Sql::exec(db, QStringLiteral("ROLLBACK"));
        return Result<UsageReset>::failure(error);
    };
    KeyLimitRepository repository(db);
    const auto limits = repository.forKey(keyId);
    if (!limits)
        return rollBack(limits.error());
    UsageReset reset{*key.value(), {}, QDateTime::currentDateTimeUtc(), {}};
    for (const Proxy::KeyLimit &limit : limits.value())
        if (!limitId || limit.id == *limitId)
            reset.limits.append(limit);
    if (limitId && reset.limits.isEmpty())
        return rollBack(QStringLiteral("the key has no limit with id %1").arg(*limitId));
    if (reset.limits.isEmpty())
        return rollBack(QStringLiteral("key %1 \"%2\" has no limits: there is no usage to reset")
                            .arg(keyId)
                            .arg(reset.key.name));
    // Limits are counted in whole hours: what this hour held before now is excluded from it.
    const QDateTime hourStart = QDateTime::fromSecsSinceEpoch(
        Proxy::LimitSchedule::hourOf(reset.at) * Proxy::LimitSchedule::HourSeconds, Qt::UTC);
    for (Proxy::KeyLimit &limit : reset.limits) {
        const Result<qint64> before = repository.usageSince(keyId, limit.type, limit.modelFilter, hourStart, reset.at);
        if (!before)
            return rollBack(before.error());
        limit.countedFrom = reset.at;
        limit.countedOffset = before.value();
        if (const Status set = repository.setCountedFrom(keyId, limit.id, reset.at, before.value()); !set)
            return rollBack(set.error());
    }
    reset.trace = traceOf(reset, origin);
    if (const Status traced = RecordWriter(db).insertAuthEvents({reset.trace}); !traced)
        return rollBack(traced.error());
    if (const Status commit = Sql::exec(db, QStringLiteral("COMMIT")); !commit)
        return rollBack(commit.error());
    return reset;
}

} // namespace Core
