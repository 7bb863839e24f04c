// SPDX-License-Identifier: MIT
#include "ui/usage/RecentRequestsModel.h"

#include <QLocale>

namespace Console {

namespace {

QString milliseconds(qint64 ms)
{
    return QStringLiteral("%1 ms").arg(QLocale().toString(ms));
}

} // namespace

RecentRequestsModel::RecentRequestsModel(QObject *parent) : QAbstractTableModel(parent) {}

Core::RequestLogEntry RecentRequestsModel::entryFrom(const Proxy::RequestRecord &record)
{
    Core::RequestLogEntry entry;
    entry.time = record.time;
    entry.route = record.route;
    entry.model = record.model;
    entry.status = record.status;
    entry.outcome = record.outcome;
    entry.usage = record.usage;
    entry.latencyMs = record.latencyMs;
    entry.ttfbMs = record.ttfbMs;
    return entry;
}

void RecentRequestsModel::setEntries(QList<Core::RequestLogEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    if (m_entries.size() > Limit)
        m_entries.resize(Limit);
    endResetModel();
}

void RecentRequestsModel::prepend(const QList<Proxy::RequestRecord> &records)
{
    if (records.isEmpty())
        return;
    const int added = int(qMin<qsizetype>(records.size(), Limit));
    const int overflow = int(qMax<qsizetype>(0, m_entries.size() + added - Limit));
    if (overflow > 0) {
        beginRemoveRows({}, int(m_entries.size()) - overflow, int(m_entries.size()) - 1);
        m_entries.resize(m_entries.size() - overflow);
        endRemoveRows();
    }
    beginInsertRows({}, 0, added - 1);
    QList<Core::RequestLogEntry> fresh;
    fresh.reserve(added + m_entries.size());
    // The batch is oldest first: its last record goes on top.
    for (qsizetype i = records.size() - 1; i >= records.size() - added; --i)
        fresh.append(entryFrom(records.at(i)));
    fresh.append(m_entries);
    m_entries = std::move(fresh);
    endInsertRows();
}

int RecentRequestsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RecentRequestsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecentRequestsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Core::RequestLogEntry &entry = m_entries.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Tokens && entry.usage)
        return tr("input %1 (cached %2), output %3 (reasoning %4)")
            .arg(entry.usage->input)
            .arg(entry.usage->cached)
            .arg(entry.usage->output)
            .arg(entry.usage->reasoning);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Status && index.column() != Outcome
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QLocale().toString(entry.time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Route:
        return entry.route;
    case Model:
        return entry.model;
    case Status:
        return entry.status;
    case Outcome:
        return entry.outcome;
    case Tokens:
        return entry.usage ? QLocale().toString(entry.usage->total) : QStringLiteral("—");
    case Latency:
        return milliseconds(entry.latencyMs);
    case Ttfb:
        return entry.ttfbMs ? milliseconds(*entry.ttfbMs) : QStringLiteral("—");
    default:
        return {};
    }
}

QVariant RecentRequestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList titles{tr("Time"),    tr("Route"),  tr("Model"),   tr("Status"),
                                    tr("Outcome"), tr("Tokens"), tr("Latency"), tr("TTFB")};
    return titles.value(section);
}

} // namespace Console
