// SPDX-License-Identifier: MIT
#pragma once

#include "ui/usage/UsageLedger.h"

#include <QAbstractTableModel>

namespace Console {

/// The per-key usage table: one row per key (and one for requests without a key), over a
/// UsageLedger it owns. Display text is formatted; Qt::UserRole gives the raw value for sorting
/// and tests, KeyIdRole the row's key id (0: anonymous). GUI thread.
class UsageTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Key,
        Requests,
        Input,
        Cached,
        Output,
        Reasoning,
        Total,
        Cost,
        Errors,
        LastUsed,
        ColumnCount
    };
    static constexpr int KeyIdRole = Qt::UserRole + 1;

    explicit UsageTableModel(QObject *parent = nullptr);

    /// Replaces everything (a reload from the database).
    void reset(const UsageRange &range, QList<Core::KeyUsageSummary> rows,
               const QList<Core::TokenBucket> &buckets);
    /// Folds live records in; emits dataChanged / rowsInserted only for what changed. True if anything did.
    bool add(const QList<Proxy::RequestRecord> &records);
    const UsageLedger &ledger() const { return m_ledger; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "(no key or deleted key)" for keyId 0, else the key's name.
    static QString keyLabel(const Core::KeyUsageSummary &usage);
    /// "$1.23"; "unknown" when requests of a model without a price are all there is, "$1.23 + unknown"
    /// when they are part of it.
    static QString costText(const Core::KeyUsageSummary &usage);

private:
    QVariant rawValue(const Core::KeyUsageSummary &usage, int column) const;

    UsageLedger m_ledger;
};

} // namespace Console
