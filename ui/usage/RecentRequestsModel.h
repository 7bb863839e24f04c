// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include "app/core/storage/UsageQueries.h"

#include <QAbstractTableModel>

namespace Console {

/// The recent requests of one key, newest first, bounded to a limit: loaded from the request log
/// when a key is selected, then live records of that key are put on top. GUI thread.
class RecentRequestsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Time,
        Route,
        Model,
        Status,
        Outcome,
        Tokens,
        Latency,
        Ttfb,
        ColumnCount
    };
    static constexpr int Limit = 100;

    explicit RecentRequestsModel(QObject *parent = nullptr);

    void setEntries(QList<Core::RequestLogEntry> entries);
    /// Puts @p records (already filtered to the shown key) on top, dropping the oldest past Limit.
    void prepend(const QList<Proxy::RequestRecord> &records);
    void clear() { setEntries({}); }
    const QList<Core::RequestLogEntry> &entries() const { return m_entries; }

    static Core::RequestLogEntry entryFrom(const Proxy::RequestRecord &record);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Core::RequestLogEntry> m_entries;
};

} // namespace Console
