// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include "app/core/storage/KeyRecord.h"

#include "ui/keys/KeyUsageFeed.h"

#include <QAbstractTableModel>
#include <QList>

namespace Console {

/// The rows of the Keys page: each key (never its plaintext) with its lifetime requests, tokens and
/// last use. Keys are merged in place on reload, so selection and scroll position survive; usage
/// starts from the database totals and grows with live activity. Sorting uses SortRole. GUI thread.
class KeyTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        Key,
        Created,
        Expires,
        Enabled,
        LastUsed,
        Requests,
        Tokens,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole,
        IdRole
    };

    explicit KeyTableModel(QObject *parent = nullptr);

    /// Makes the rows match @p keys (by id): updates, inserts and removes rows; usage is kept.
    void setKeys(const QList<Core::KeyRecord> &keys);
    /// Lifetime totals per key id, e.g. from UsageRepository::perKey().
    void setUsage(const QHash<qint64, Proxy::UsageTotals> &usage);
    /// Adds live activity; ids without a row are ignored.
    void addActivity(const QHash<qint64, KeyActivity> &activity);

    int rowOf(qint64 id) const;
    const Core::KeyRecord &keyAt(int row) const { return m_rows.at(row).key; }
    qint64 requestsAt(int row) const { return m_rows.at(row).requests; }
    qint64 tokensAt(int row) const { return m_rows.at(row).tokens; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row final
    {
        Core::KeyRecord key;
        qint64 requests = 0;
        qint64 tokens = 0;
        QDateTime lastUsed; ///< the later of the stored last use and live activity
    };

    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    void emitRowChanged(int row);

    QList<Row> m_rows;
};

} // namespace Console
