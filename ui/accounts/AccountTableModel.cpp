// SPDX-License-Identifier: MIT
#include "ui/accounts/AccountTableModel.h"

#include "ui/accounts/AccountStatusText.h"
#include "ui/common/StatusColors.h"

#include <QBrush>
#include <QLocale>

namespace Console {

AccountTableModel::AccountTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void AccountTableModel::setAccounts(const QList<Core::AccountInfo> &accounts)
{
    beginResetModel();
    m_accounts = accounts;
    endResetModel();
}

void AccountTableModel::applyStatus(const QList<Proxy::AccountRuntimeStatus> &statuses)
{
    for (const Proxy::AccountRuntimeStatus &status : statuses)
        m_status.insert(status.id, status);
    tick();
}

void AccountTableModel::setToday(const QHash<qint64, Today> &today)
{
    m_today = today;
    if (!m_accounts.isEmpty())
        emit dataChanged(index(0, Requests), index(rowCount() - 1, Tokens));
}

void AccountTableModel::addToday(qint64 accountId, qint64 requests, qint64 tokens)
{
    Today &today = m_today[accountId];
    today.requests += requests;
    today.tokens += tokens;
    if (const int row = rowOf(accountId); row >= 0)
        emit dataChanged(index(row, Requests), index(row, Tokens));
}

void AccountTableModel::tick()
{
    if (!m_accounts.isEmpty())
        emit dataChanged(index(0, State), index(rowCount() - 1, Quota));
}

const Core::AccountInfo *AccountTableModel::accountAt(int row) const
{
    return row >= 0 && row < m_accounts.size() ? &m_accounts.at(row) : nullptr;
}

QList<Core::AccountRecord> AccountTableModel::records() const
{
    QList<Core::AccountRecord> records;
    for (const Core::AccountInfo &info : m_accounts)
        records.append(info.record);
    return records;
}

int AccountTableModel::rowOf(qint64 accountId) const
{
    for (int row = 0; row < m_accounts.size(); ++row)
        if (m_accounts.at(row).record.id == accountId)
            return row;
    return -1;
}

int AccountTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_accounts.size());
}

int AccountTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountTableModel::data(const QModelIndex &index, int role) const
{
    const Core::AccountInfo *info = accountAt(index.row());
    if (!info)
        return {};
    const Core::AccountRecord &record = info->record;
    const Proxy::AccountRuntimeStatus status = m_status.value(record.id);
    const Today today = m_today.value(record.id);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return record.name;
        case Kind:
            return record.isChatGpt() ? tr("ChatGPT") : tr("OpenAI-compatible");
        case Who:
            // host:port: two upstreams on one host differ only by the port.
            return record.email.isEmpty() ? record.baseUrl.adjusted(QUrl::RemoveUserInfo).authority()
                                          : record.email;
        case Plan:
            return record.planType.isEmpty() ? QStringLiteral("–") : record.planType;
        case State:
            return info->tokenStored || record.state != Proxy::AccountState::Active
                       ? AccountStatusText::state(record, status, now)
                       : tr("no token stored");
        case Quota:
            return AccountStatusText::quota(status, now);
        case Requests:
            return QLocale().toString(today.requests);
        case Tokens:
            return QLocale().toString(today.tokens);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (record.state == Proxy::AccountState::NeedsReauth || status.needsReauth || !info->tokenStored)
            return QBrush(StatusColors::text(StatusColors::Status::Error));
        if (!AccountStatusText::isAvailable(record, status, now))
            return QBrush(StatusColors::text(StatusColors::Status::Warning));
    }
    if (role == Qt::ToolTipRole && index.column() == State && !status.lastError.isEmpty())
        return tr("Last error: %1").arg(status.lastError);
    if (role == Qt::TextAlignmentRole && (index.column() == Requests || index.column() == Tokens))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant AccountTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Kind:
        return tr("Kind");
    case Who:
        return tr("Email / host");
    case Plan:
        return tr("Plan");
    case State:
        return tr("State");
    case Quota:
        return tr("Quota");
    case Requests:
        return tr("Requests today");
    case Tokens:
        return tr("Tokens today");
    }
    return {};
}

} // namespace Console
