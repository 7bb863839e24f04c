// SPDX-License-Identifier: MIT
#include "app/core/storage/NotificationMutes.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

QString settingName(NotificationKind kind)
{
    return QStringLiteral("mute-") + NotificationMutes::name(kind);
}

} // namespace

NotificationMutes::NotificationMutes(QSqlDatabase db) : m_db(std::move(db)) {}

QList<NotificationKind> NotificationMutes::kinds()
{
    return {NotificationKind::KeyLimitReached, NotificationKind::AccountNeedsReauth,
            NotificationKind::PoolRateLimited, NotificationKind::ProxyDown, NotificationKind::KeyExpiring};
}

QString NotificationMutes::name(NotificationKind kind)
{
    switch (kind) {
    case NotificationKind::KeyLimitReached:
        return QStringLiteral("key-limit");
    case NotificationKind::AccountNeedsReauth:
        return QStringLiteral("account-reauth");
    case NotificationKind::PoolRateLimited:
        return QStringLiteral("pool-rate-limited");
    case NotificationKind::ProxyDown:
        return QStringLiteral("proxy-down");
    case NotificationKind::KeyExpiring:
        return QStringLiteral("key-expiring");
    }
    return {};
}

Result<bool> NotificationMutes::isMuted(NotificationKind kind) const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT value FROM settings WHERE name = ?"),
                                        {settingName(kind)});
        !status)
        return Result<bool>::failure(status);
    return query.next() && query.value(0).toString() == QLatin1String("true");
}

Status NotificationMutes::setMuted(NotificationKind kind, bool muted)
{
    return Sql::exec(m_db,
                     QStringLiteral("INSERT INTO settings (name, value) VALUES (?, ?)"
                                    " ON CONFLICT(name) DO UPDATE SET value = excluded.value"),
                     {settingName(kind), muted ? QStringLiteral("true") : QStringLiteral("false")});
}

} // namespace Core
