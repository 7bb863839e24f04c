// SPDX-License-Identifier: MIT
#include "ui/usage/UsagePage.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/UsageQueries.h"

#include "ui/common/LimitBarsView.h"
#include "ui/common/MessageBanner.h"
#include "ui/usage/RecentRequestsModel.h"
#include "ui/usage/UsageChart.h"
#include "ui/usage/UsageTableModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Console {

namespace {

constexpr int FoldIntervalMs = 250;
constexpr int ChartIntervalMs = 1000;

QTableView *createTable(const QString &objectName, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(objectName);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setTabKeyNavigation(false); // Tab leaves the table; arrows move between rows
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return table;
}

} // namespace

UsagePage::UsagePage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("usageBanner"));
    m_banner->hide();

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("usageRange"));
    m_range->addItem(tr("Today"), int(UsageRange::Span::Today));
    m_range->addItem(tr("Last 7 days"), int(UsageRange::Span::SevenDays));
    m_range->addItem(tr("Last 30 days"), int(UsageRange::Span::ThirtyDays));
    m_range->setToolTip(tr("Time range of the table and the chart"));
    auto *rangeLabel = new QLabel(tr("&Range:"), this);
    rangeLabel->setBuddy(m_range);
    auto *refresh = new QToolButton(this);
    refresh->setObjectName(QStringLiteral("usageRefreshButton"));
    refresh->setAccessibleName(tr("Reload usage"));
    refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    refresh->setShortcut(QKeySequence::Refresh);
    refresh->setToolTip(tr("Reload usage from the request log (F5)"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(rangeLabel);
    bar->addWidget(m_range);
    bar->addStretch();
    bar->addWidget(refresh);

    m_chart = new UsageChart(this);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("usageSplitter"));
    splitter->addWidget(createTablePane());
    splitter->addWidget(m_chart);
    splitter->addWidget(createRecentPane());
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({200, 240, 200});

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    m_foldTimer.setSingleShot(true);
    m_foldTimer.setInterval(FoldIntervalMs);
    m_chartTimer.setSingleShot(true);
    m_chartTimer.setInterval(ChartIntervalMs);
    connect(&m_foldTimer, &QTimer::timeout, this, &UsagePage::foldPending);
    connect(&m_chartTimer, &QTimer::timeout, this,
            [this] { m_chart->refresh(m_model->ledger(), /*rangeChanged=*/false); });
    connect(m_range, &QComboBox::currentIndexChanged, this, &UsagePage::reload);
    connect(refresh, &QToolButton::clicked, this, &UsagePage::reload);
    connect(&m_context.runtime, &Core::ProxyRuntime::requestsRecorded, this, &UsagePage::enqueue);
    connect(&m_context.runtime, &Core::ProxyRuntime::keysChanged, this, [this] {
        if (m_loaded)
            reload();
    });
}

QWidget *UsagePage::createTablePane()
{
    m_model = new UsageTableModel(this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(Qt::UserRole);
    m_table = createTable(QStringLiteral("usageTable"), this);
    m_table->setAccessibleName(tr("Usage per key"));
    m_table->setModel(m_sorted);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // keys by id until the user sorts
    m_table->setSortingEnabled(true);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &UsagePage::loadRecentRequests);
    return m_table;
}

QWidget *UsagePage::createRecentPane()
{
    auto *pane = new QWidget(this);
    m_recentTitle = new QLabel(tr("Select a key to see its recent requests."), pane);
    m_recentTitle->setObjectName(QStringLiteral("recentRequestsTitle"));
    m_bars = new LimitBarsView(m_context.runtime, pane);
    m_bars->setObjectName(QStringLiteral("usageLimitBars"));
    m_bars->setToolTip(tr("The limits of the selected key: used, maximum and when each window resets"));
    m_bars->hide();
    m_recent = new RecentRequestsModel(this);
    m_recentTable = createTable(QStringLiteral("recentRequestsTable"), pane);
    m_recentTable->setAccessibleName(tr("Recent requests of the selected key"));
    m_recentTable->setModel(m_recent);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_recentTitle);
    layout->addWidget(m_bars);
    layout->addWidget(m_recentTable, 1);
    return pane;
}

void UsagePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loaded || m_model->ledger().range().day != QDate::currentDate())
        reload();
}

void UsagePage::showError(const QString &error)
{
    m_banner->showMessage(MessageBanner::Kind::Error, tr("Cannot read usage: %1").arg(error));
}

void UsagePage::flushStore()
{
    // The store commits each record before the proxy's batch brings it to this page, so once the
    // store has written its queue, the database holds everything this page was sent (and maybe more:
    // see m_counted).
    Core::StoreWorker *worker =
        m_context.runtime.store().isRunning() ? m_context.runtime.store().worker() : nullptr;
    if (worker)
        QMetaObject::invokeMethod(
            worker, [worker] { worker->flush(); }, Qt::BlockingQueuedConnection);
}

void UsagePage::reload()
{
    flushStore();
    m_pending.clear(); // written by the flush: the queries below include them
    m_foldTimer.stop();
    const qint64 selected = selectedKeyId();
    const auto span = UsageRange::Span(m_range->currentData().toInt());
    const UsageRange range = UsageRange::make(span);
    const Core::UsageQueries queries(m_context.runtime.database().connection());
    const auto rows = queries.perKeySince(range.since);
    if (!rows) {
        showError(rows.error());
        return;
    }
    const auto buckets = queries.tokenBuckets(range.bucketStarts);
    if (!buckets) {
        showError(buckets.error());
        return;
    }
    // Live records trail the commit by up to a batch interval: a few thousand rows cover any backlog.
    const auto counted = queries.lastRequestIds(5000);
    if (!counted) {
        showError(counted.error());
        return;
    }
    m_counted = counted.value();
    m_banner->dismiss();
    m_loaded = true;
    m_model->reset(range, rows.value(), buckets.value());
    m_chartTimer.stop();
    m_chart->refresh(m_model->ledger(), /*rangeChanged=*/true);
    m_recentKeyId = -1;
    selectKey(selected);
    if (selected < 0 || m_model->ledger().rowOf(selected) < 0)
        loadRecentRequests();
}

void UsagePage::enqueue(const QList<Proxy::RequestRecord> &records)
{
    if (!m_loaded)
        return; // the first load reads them from the database
    for (const Proxy::RequestRecord &record : records)
        if (record.requestId.isEmpty() || !m_counted.remove(record.requestId)) // else read by the last reload
            m_pending.append(record);
    if (!m_foldTimer.isActive())
        m_foldTimer.start();
}

void UsagePage::foldPending()
{
    if (m_pending.isEmpty())
        return;
    if (m_model->ledger().range().day != QDate::currentDate()) {
        reload(); // midnight passed: the range moved
        return;
    }
    const QList<Proxy::RequestRecord> records = std::exchange(m_pending, {});
    if (m_model->add(records))
        scheduleChart();
    if (m_recentKeyId < 0)
        return;
    QList<Proxy::RequestRecord> shown;
    for (const Proxy::RequestRecord &record : records)
        if (m_model->ledger().rowKeyOf(record) == m_recentKeyId)
            shown.append(record);
    m_recent->prepend(shown);
}

void UsagePage::scheduleChart()
{
    if (!m_chartTimer.isActive())
        m_chartTimer.start();
}

qint64 UsagePage::selectedKeyId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().data(UsageTableModel::KeyIdRole).toLongLong();
}

void UsagePage::selectKey(qint64 keyId)
{
    const int row = keyId >= 0 ? m_model->ledger().rowOf(keyId) : -1;
    if (row < 0) {
        m_table->clearSelection();
        return;
    }
    const QModelIndex index = m_sorted->mapFromSource(m_model->index(row, UsageTableModel::Key));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
}

void UsagePage::loadRecentRequests()
{
    const qint64 keyId = selectedKeyId();
    if (keyId == m_recentKeyId)
        return;
    m_recentKeyId = keyId;
    m_bars->setKey(keyId);
    m_bars->setVisible(keyId > 0);
    if (keyId < 0) {
        m_recent->clear();
        m_recentTitle->setText(tr("Select a key to see its recent requests."));
        return;
    }
    // Everything received so far is folded (into the old selection) and written, so the query
    // below and the live records that follow neither overlap nor leave a gap.
    foldPending();
    flushStore();
    const auto entries = Core::UsageQueries(m_context.runtime.database().connection())
                             .recentRequests(keyId, RecentRequestsModel::Limit);
    if (!entries) {
        showError(entries.error());
        m_recent->clear();
        return;
    }
    m_recent->setEntries(entries.value());
    const int row = m_model->ledger().rowOf(keyId);
    const QString name = row >= 0 ? UsageTableModel::keyLabel(m_model->ledger().rows().at(row)) : QString();
    m_recentTitle->setText(tr("Recent requests of %1").arg(name));
}

} // namespace Console
