// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/AccountRecord.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace Core {

/// SQL for the `accounts` table on one connection (the caller's thread). Lists are in routing order:
/// priority, then id.
class AccountRepository final
{
public:
    explicit AccountRepository(QSqlDatabase db);

    Result<QList<AccountRecord>> list() const;
    Result<std::optional<AccountRecord>> findById(qint64 id) const;
    Result<std::optional<AccountRecord>> findByName(const QString &name) const;
    /// Inserts @p record (id ignored; an empty secret prefix becomes "account/<id>") and returns the new id.
    Result<qint64> insert(AccountRecord record);
    /// Writes every column but id, created_at and secret_prefix.
    Status update(const AccountRecord &record);
    Status setState(qint64 id, Proxy::AccountState state, const QString &reason);
    Status remove(qint64 id);
    /// One more than the largest priority (0 for the first account).
    Result<int> nextPriority() const;

private:
    Result<std::optional<AccountRecord>> findOne(const QString &where, const QVariant &value) const;

    QSqlDatabase m_db;
};

} // namespace Core
