// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include "app/core/storage/KeyRecord.h"

#include "ui/keys/KeyUsageFeed.h"

#include <QAbstractTableModel>
#include <QList>

namespace Console {

/// The rows of the Keys page: each key (never its plaintext) with its lifetime requests, tokens,
/// last use and how far its fullest limit is used. Keys are merged in place on reload, so selection and scroll position survive; usage
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
        Limits,
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
    /// The share (0–100 %) used of each key's fullest limit, by key id; keys without limits show "—".
    void setLimitUse(const QHash<qint64, int> &percentByKey);

    int rowOf(qint64 id) const;
    const Core::KeyRecord &keyAt(int row) const { return m_rows.at(row).key; }
    qint64 requestsAt(int row) const { return m_rows.at(row).requests; }
    qint64 tokensAt(int row) const { return m_rows.at(row).tokens; }
    /// -1 when the key has no limits.
    int limitUseAt(int row) const;

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
        int limitUse = 0;   ///< % used of the fullest limit (shown only when the key has limits)
    };

    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    void emitRowChanged(int row);

    QList<Row> m_rows;
};

} // namespace Console
