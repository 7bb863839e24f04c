// SPDX-License-Identifier: MIT
#include "ui/usage/UsageTableModel.h"

#include <QLocale>

namespace Console {

UsageTableModel::UsageTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void UsageTableModel::reset(const UsageRange &range, QList<Core::KeyUsageSummary> rows,
                            const QList<Core::TokenBucket> &buckets)
{
    beginResetModel();
    m_ledger.reset(range, std::move(rows), buckets);
    endResetModel();
}

bool UsageTableModel::add(const QList<Proxy::RequestRecord> &records)
{
    const bool appends = m_ledger.wouldAppendRow(records);
    if (appends)
        beginInsertRows({}, rowCount(), rowCount());
    const UsageLedger::Change change = m_ledger.add(records);
    if (appends)
        endInsertRows();
    for (const int row : change.changedRows)
        emit dataChanged(index(row, Requests), index(row, LastUsed));
    return !change.isEmpty();
}

int UsageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ledger.rows().size());
}

int UsageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString UsageTableModel::keyLabel(const Core::KeyUsageSummary &usage)
{
    return usage.keyId == 0 ? tr("(no key or deleted key)") : usage.name;
}

QVariant UsageTableModel::rawValue(const Core::KeyUsageSummary &usage, int column) const
{
    switch (column) {
    case Key:
        return keyLabel(usage);
    case Requests:
        return usage.totals.requestCount;
    case Input:
        return usage.totals.input;
    case Cached:
        return usage.totals.cached;
    case Output:
        return usage.totals.output;
    case Reasoning:
        return usage.totals.reasoning;
    case Total:
        return usage.totals.total;
    case Cost:
        return usage.totals.costUsd;
    case Errors:
        return usage.errors;
    case LastUsed:
        return usage.lastUsed;
    default:
        return {};
    }
}

QVariant UsageTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Core::KeyUsageSummary &usage = m_ledger.rows().at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (column == Key)
            return keyLabel(usage);
        if (column == Cost)
            return costText(usage);
        if (column == LastUsed)
            return usage.lastUsed.isValid()
                       ? QLocale().toString(usage.lastUsed.toLocalTime(), QLocale::ShortFormat)
                       : tr("never");
        return QLocale().toString(rawValue(usage, column).toLongLong());
    case Qt::UserRole:
        return rawValue(usage, column);
    case KeyIdRole:
        return usage.keyId;
    case Qt::ToolTipRole:
        if (column == Key)
            return usage.keyId == 0 ? tr("Requests without a key (anonymous or refused) and of deleted keys")
                                    : QStringLiteral("%1  %2").arg(usage.name, usage.maskedKey);
        if (column == Cost)
            return usage.unpricedRequests > 0
                       ? tr("%n request(s) used a model without a price; their cost is unknown", nullptr,
                            int(usage.unpricedRequests))
                       : tr("Cost from the model pricing table");
        if (column == Errors)
            return tr("Requests answered with an error status or not completed");
        return {};
    case Qt::TextAlignmentRole:
        return column == Key ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QString UsageTableModel::costText(const Core::KeyUsageSummary &usage)
{
    const QString priced = QStringLiteral("$%1").arg(usage.totals.costUsd, 0, 'f', 2);
    if (usage.unpricedRequests == 0)
        return priced;
    // Tokens of an unpriced model cost something, not $0.00.
    return usage.totals.costUsd > 0 ? tr("%1 + unknown").arg(priced) : tr("unknown");
}

QVariant UsageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList titles{tr("Key"),    tr("Requests"),  tr("Input"), tr("Cached"),
                                    tr("Output"), tr("Reasoning"), tr("Total"), tr("Cost"),
                                    tr("Errors"), tr("Last used")};
    return titles.value(section);
}

} // namespace Console
