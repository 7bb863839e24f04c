// SPDX-License-Identifier: MIT
#include "app/core/storage/UpstreamRepository.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

UpstreamRepository::UpstreamRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Result<std::optional<UpstreamRow>> UpstreamRepository::load() const
{
    QSqlQuery query(m_db);
    if (const Status status =
            Sql::exec(query, QStringLiteral("SELECT kind, base_url, account_id, updated_at FROM upstream WHERE id = 1"));
        !status)
        return Result<std::optional<UpstreamRow>>::failure(status);
    if (!query.next())
        return std::optional<UpstreamRow>();
    UpstreamRow row;
    row.kind = Proxy::UpstreamConfig::kindFromName(query.value(0).toString());
    row.baseUrl = QUrl(query.value(1).toString());
    row.accountId = query.value(2).toString();
    row.updatedAt = Sql::fromDbTime(query.value(3));
    return std::optional<UpstreamRow>(row);
}

Status UpstreamRepository::save(const UpstreamRow &row)
{
    return Sql::exec(m_db,
                     QStringLiteral("INSERT INTO upstream (id, kind, base_url, account_id, updated_at)"
                                    " VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind,"
                                    " base_url = excluded.base_url, account_id = excluded.account_id,"
                                    " updated_at = excluded.updated_at"),
                     {Proxy::UpstreamConfig::kindName(row.kind), row.baseUrl.toString(), QString(row.accountId.isNull() ? QStringLiteral("") : row.accountId),
                      Sql::toDbTime(row.updatedAt.isValid() ? row.updatedAt : QDateTime::currentDateTimeUtc())});
}

} // namespace Core
