// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include "ui/shell/ConsoleContext.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace Console {

class LimitBarsView;
class MessageBanner;
class RecentRequestsModel;
class UsageChart;
class UsageTableModel;

/// The usage page: per-key usage for a range (today / 7 days / 30 days), a chart of tokens per key
/// over time, and the limit bars and recent requests of the selected key. SQL runs only when the page is first
/// shown, the range or the keys change, or a key is selected; live request records are folded in
/// memory every 250 ms and the chart follows at most once a second. GUI thread.
class UsagePage final : public QWidget
{
    Q_OBJECT

public:
    explicit UsagePage(ConsoleContext &context, QWidget *parent = nullptr);

    /// Reads the range from the database again (after writing what the store still holds).
    void reload();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *createTablePane();
    QWidget *createRecentPane();
    void enqueue(const QList<Proxy::RequestRecord> &records);
    void foldPending();
    void loadRecentRequests();
    qint64 selectedKeyId() const; ///< -1 when no row is selected
    void selectKey(qint64 keyId);
    void scheduleChart();
    void flushStore();
    void showError(const QString &error);

    ConsoleContext &m_context;
    MessageBanner *m_banner = nullptr;
    QComboBox *m_range = nullptr;
    UsageTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    QTableView *m_table = nullptr;
    UsageChart *m_chart = nullptr;
    QLabel *m_recentTitle = nullptr;
    LimitBarsView *m_bars = nullptr;
    RecentRequestsModel *m_recent = nullptr;
    QTableView *m_recentTable = nullptr;
    QTimer m_foldTimer;  // coalesces live records (250 ms)
    QTimer m_chartTimer; // limits chart redraws (1 s)
    QList<Proxy::RequestRecord> m_pending;
    /// Request ids the last reload read from the database: their live records, still on their way
    /// from the proxy (the store commits a record before the proxy's batch reaches this page), are
    /// not counted twice.
    QSet<QString> m_counted;
    qint64 m_recentKeyId = -1;
    bool m_loaded = false;
};

} // namespace Console
