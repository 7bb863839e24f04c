// SPDX-License-Identifier: MIT
#include "ui/keys/KeyTableModel.h"

#include "ui/common/StatusColors.h"

#include <QBrush>
#include <QFontDatabase>
#include <QLocale>
#include <QSet>

#include <limits>

namespace Console {

namespace {
QString shortTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}
} // namespace

KeyTableModel::KeyTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void KeyTableModel::setKeys(const QList<Core::KeyRecord> &keys)
{
    QSet<qint64> ids;
    for (const Core::KeyRecord &key : keys)
        ids.insert(key.id);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (ids.contains(m_rows.at(row).key.id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    for (const Core::KeyRecord &key : keys) {
        const int row = rowOf(key.id);
        if (row < 0) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(Row{key, 0, 0, key.lastUsedAt, 0});
            endInsertRows();
            continue;
        }
        Row &existing = m_rows[row];
        existing.key = key;
        if (key.lastUsedAt.isValid() && (!existing.lastUsed.isValid() || key.lastUsedAt > existing.lastUsed))
            existing.lastUsed = key.lastUsedAt;
        emitRowChanged(row);
    }
}

void KeyTableModel::setUsage(const QHash<qint64, Proxy::UsageTotals> &usage)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        const Proxy::UsageTotals totals = usage.value(m_rows.at(row).key.id);
        m_rows[row].requests = totals.requestCount;
        m_rows[row].tokens = totals.total;
        emitRowChanged(row);
    }
}

void KeyTableModel::addActivity(const QHash<qint64, KeyActivity> &activity)
{
    for (auto it = activity.cbegin(); it != activity.cend(); ++it) {
        const int row = rowOf(it.key());
        if (row < 0)
            continue;
        Row &target = m_rows[row];
        target.requests += it->requests;
        target.tokens += it->tokens;
        if (it->lastUsed.isValid() && (!target.lastUsed.isValid() || it->lastUsed > target.lastUsed))
            target.lastUsed = it->lastUsed;
        emitRowChanged(row);
    }
}

void KeyTableModel::setLimitUse(const QHash<qint64, int> &percentByKey)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        const int percent = percentByKey.value(m_rows.at(row).key.id);
        if (m_rows.at(row).limitUse == percent)
            continue;
        m_rows[row].limitUse = percent;
        const QModelIndex cell = index(row, Limits);
        emit dataChanged(cell, cell);
    }
}

int KeyTableModel::limitUseAt(int row) const
{
    const Row &entry = m_rows.at(row);
    return entry.key.policy.limits.isEmpty() ? -1 : entry.limitUse;
}

int KeyTableModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).key.id == id)
            return row;
    return -1;
}

int KeyTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case SortRole:
        return sortValue(row, column);
    case IdRole:
        return row.key.id;
    case Qt::ToolTipRole:
        if (column == Name && !row.key.note.isEmpty())
            return row.key.note;
        if (column == Key && row.key.isImported())
            return tr("Imported from codex-lb: only the start of the key is known, not its last 4 characters "
                      "or its plaintext.");
        if (column == Expires && row.key.isExpired(QDateTime::currentDateTimeUtc()))
            return tr("This key has expired; requests with it are refused.");
        if (column == Limits)
            return row.key.policy.limits.isEmpty()
                       ? tr("No limits")
                       : tr("%n limit(s); the fullest is %1 % used", nullptr, int(row.key.policy.limits.size()))
                             .arg(row.limitUse);
        return {};
    case Qt::FontRole:
        if (column == Key)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::ForegroundRole:
        if ((column == Enabled && !row.key.enabled) || (column == Limits && limitUseAt(index.row()) >= 100) ||
            (column == Expires && row.key.isExpired(QDateTime::currentDateTimeUtc())))
            return QBrush(StatusColors::text(StatusColors::Status::Error));
        return {};
    case Qt::TextAlignmentRole:
        if (column == Requests || column == Tokens || column == Limits)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant KeyTableModel::display(const Row &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case Name:
        return row.key.name;
    case Key:
        return row.key.maskedKey();
    case Created:
        return shortTime(row.key.createdAt);
    case Expires:
        if (!row.key.expiresAt.isValid())
            return tr("never");
        return row.key.isExpired(QDateTime::currentDateTimeUtc())
                   ? tr("expired %1").arg(shortTime(row.key.expiresAt))
                   : shortTime(row.key.expiresAt);
    case Enabled:
        return row.key.enabled ? tr("Yes") : tr("No (disabled)");
    case LastUsed:
        return row.lastUsed.isValid() ? shortTime(row.lastUsed) : tr("never");
    case Requests:
        return locale.toString(row.requests);
    case Tokens:
        return locale.toString(row.tokens);
    case Limits:
        return row.key.policy.limits.isEmpty() ? QStringLiteral("\u2014") : tr("%1 %").arg(row.limitUse);
    default:
        return {};
    }
}

QVariant KeyTableModel::sortValue(const Row &row, int column) const
{
    switch (column) {
    case Name:
        return row.key.name.toLower();
    case Key:
        return row.key.last4;
    case Created:
        return row.key.createdAt.toMSecsSinceEpoch();
    case Expires:
        return row.key.expiresAt.isValid() ? row.key.expiresAt.toMSecsSinceEpoch()
                                           : std::numeric_limits<qint64>::max();
    case Enabled:
        return row.key.enabled ? 1 : 0;
    case LastUsed:
        return row.lastUsed.isValid() ? row.lastUsed.toMSecsSinceEpoch() : qint64(-1);
    case Requests:
        return row.requests;
    case Tokens:
        return row.tokens;
    case Limits:
        return row.key.policy.limits.isEmpty() ? -1 : row.limitUse;
    default:
        return {};
    }
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == Limits)
        return tr("How much of the key's fullest limit is used in its current window");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Key:
        return tr("Key");
    case Created:
        return tr("Created");
    case Expires:
        return tr("Expires");
    case Enabled:
        return tr("Enabled");
    case LastUsed:
        return tr("Last used");
    case Requests:
        return tr("Requests");
    case Tokens:
        return tr("Tokens");
    case Limits:
        return tr("Limits");
    default:
        return {};
    }
}

void KeyTableModel::emitRowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Console
