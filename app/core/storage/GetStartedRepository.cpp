// SPDX-License-Identifier: MIT
#include "app/core/storage/GetStartedRepository.h"

#include "app/core/storage/SqlUtil.h"

#include <QDateTime>
#include <QSqlQuery>

namespace Core {

namespace {
constexpr auto DismissedName = "console.get-started-dismissed";
constexpr auto ClientShownName = "console.get-started-client-shown";
} // namespace

GetStartedRepository::GetStartedRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Result<GetStartedFacts> GetStartedRepository::load() const
{
    // One row of EXISTS probes: each stops at the first match, however long request_log is.
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query,
        QStringLiteral(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE state = 'active'),"
            " EXISTS (SELECT 1 FROM keys WHERE enabled = 1 AND (expires_at IS NULL OR expires_at > ?)),"
            " EXISTS (SELECT 1 FROM settings WHERE name = ? AND value = 'true'),"
            " EXISTS (SELECT 1 FROM request_log WHERE outcome <> 'denied' AND status < 400)"
            " OR EXISTS (SELECT 1 FROM usage_daily WHERE requests > errors)," // rows pruned by retention
            " EXISTS (SELECT 1 FROM settings WHERE name = ? AND value = 'true')"),
        {Sql::toDbTime(QDateTime::currentDateTimeUtc()), QString::fromLatin1(ClientShownName),
         QString::fromLatin1(DismissedName)});
    if (!status)
        return Result<GetStartedFacts>::failure(status);
    if (!query.next())
        return Result<GetStartedFacts>::failure(QStringLiteral("the checklist query returned no row"));
    GetStartedFacts facts;
    facts.accountConnected = query.value(0).toBool();
    facts.keyCreated = query.value(1).toBool();
    facts.clientShown = query.value(2).toBool();
    facts.requestAnswered = query.value(3).toBool();
    facts.dismissed = query.value(4).toBool();
    return facts;
}

Status GetStartedRepository::setDismissed(bool dismissed)
{
    return setFlag(DismissedName, dismissed);
}

Status GetStartedRepository::setClientShown()
{
    return setFlag(ClientShownName, true);
}

Status GetStartedRepository::setFlag(const char *name, bool value)
{
    return Sql::exec(m_db,
                     QStringLiteral("INSERT INTO settings (name, value) VALUES (?, ?)"
                                    " ON CONFLICT(name) DO UPDATE SET value = excluded.value"),
                     {QString::fromLatin1(name), value ? QStringLiteral("true") : QStringLiteral("false")});
}

} // namespace Core
