// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/services/AccountService.h"

#include "proxy/routing/UpstreamAccount.h"

#include <QAbstractTableModel>
#include <QHash>

namespace Console {

/// The Accounts page's table: one row per account with what the proxy reported about it (cooldown, backoff,
/// quota windows) and today's requests and tokens. GUI thread.
class AccountTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Kind, Who, Plan, State, Quota, Requests, Tokens, ColumnCount };

    struct Today final
    {
        qint64 requests = 0;
        qint64 tokens = 0;
    };

    explicit AccountTableModel(QObject *parent = nullptr);

    void setAccounts(const QList<Core::AccountInfo> &accounts);
    void applyStatus(const QList<Proxy::AccountRuntimeStatus> &statuses);
    void setToday(const QHash<qint64, Today> &today);
    void addToday(qint64 accountId, qint64 requests, qint64 tokens);
    /// Re-evaluates countdowns (cooldowns, resets) against the clock.
    void tick();

    const Core::AccountInfo *accountAt(int row) const;
    QList<Core::AccountRecord> records() const;
    QList<Proxy::AccountRuntimeStatus> statuses() const { return m_status.values(); }
    int rowOf(qint64 accountId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Core::AccountInfo> m_accounts;
    QHash<qint64, Proxy::AccountRuntimeStatus> m_status;
    QHash<qint64, Today> m_today;
};

} // namespace Console
