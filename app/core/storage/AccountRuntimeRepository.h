// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/routing/UpstreamAccount.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

namespace Core {

/// One row of `account_runtime`: an account's state in the running pool, as its instance published it.
struct PublishedAccountRuntime final
{
    Proxy::AccountRuntimeStatus status; ///< the quota windows' reset times are not published
    QDateTime publishedAt;              ///< UTC
};

/// SQL for `account_runtime`, the running pool's state for other processes (`keygate accounts list`).
/// The serving instance replaces every row every few seconds (on its store thread) and clears them on a
/// clean stop; readers take only fresh rows, so a killed instance's rows expire by themselves.
class AccountRuntimeRepository final
{
public:
    /// Rows published longer ago than this are ignored: no running instance stands behind them.
    static constexpr int StaleAfterSeconds = 15;

    explicit AccountRuntimeRepository(QSqlDatabase db);

    /// Replaces every row with @p statuses stamped @p publishedAt, in one transaction. Statuses of
    /// accounts deleted meanwhile are skipped. An empty list clears the table.
    Status publish(const QList<Proxy::AccountRuntimeStatus> &statuses, const QDateTime &publishedAt);
    /// The rows published at most StaleAfterSeconds before @p now, by account id.
    Result<QHash<qint64, PublishedAccountRuntime>> fresh(const QDateTime &now) const;

private:
    QSqlDatabase m_db;
};

} // namespace Core
