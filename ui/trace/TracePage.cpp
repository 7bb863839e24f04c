// SPDX-License-Identifier: MIT
#include "ui/trace/TracePage.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/AuthTraceExport.h"
#include "app/core/storage/AuthEventRepository.h"
#include "app/core/storage/KeyRepository.h"

#include "ui/common/DialogService.h"
#include "ui/common/FlowLayout.h"
#include "ui/common/MessageBanner.h"
#include "ui/trace/AuthTraceDetail.h"
#include "ui/trace/AuthTraceFilter.h"
#include "ui/trace/AuthTraceModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Console {

namespace {

constexpr int KeyNameRole = Qt::UserRole + 1;

} // namespace

TracePage::TracePage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    m_model = new AuthTraceModel(this);
    m_filter = new AuthTraceFilter(*m_model, this);
    buildUi();
    loadHistory();
    reloadKeys();

    Core::ProxyRuntime &runtime = m_context.runtime;
    connect(&runtime, &Core::ProxyRuntime::authTraced, m_model, &AuthTraceModel::append);
    connect(&runtime, &Core::ProxyRuntime::keysChanged, this, &TracePage::reloadKeys);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text != m_filter->requestId())
            m_filter->setRequest({}, {}); // the user searches for something else: show everything again
    });
    connect(m_model, &AuthTraceModel::pendingChanged, this, &TracePage::updatePauseButton);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &TracePage::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &TracePage::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &TracePage::updateCount);
    updateCount();
}

void TracePage::buildUi()
{
    m_banner = new MessageBanner;
    m_banner->setObjectName(QStringLiteral("traceBanner"));

    m_deniedOnly = new QCheckBox(tr("&Denied only"));
    m_deniedOnly->setObjectName(QStringLiteral("traceDeniedOnly"));
    m_deniedOnly->setToolTip(tr("Show only refused requests (401 denied, 400 rejected)"));
    connect(m_deniedOnly, &QCheckBox::toggled, m_filter, &AuthTraceFilter::setDeniedOnly);

    m_keyFilter = new QComboBox;
    m_keyFilter->setObjectName(QStringLiteral("traceKeyFilter"));
    m_keyFilter->setAccessibleName(tr("Key"));
    m_keyFilter->setToolTip(tr("Only decisions that named this key"));
    m_keyFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_keyFilter, &QComboBox::currentIndexChanged, this, &TracePage::applyKeyFilter);

    m_sourceFilter = new QComboBox;
    m_sourceFilter->setObjectName(QStringLiteral("traceSourceFilter"));
    m_sourceFilter->setAccessibleName(tr("Header"));
    // The entries say "accepted": a decision whose x-api-key was refused is not "from x-api-key".
    m_sourceFilter->setToolTip(tr("Only decisions whose key was accepted from this header"));
    m_sourceFilter->addItem(tr("All decisions"), QString());
    m_sourceFilter->addItem(tr("Key accepted from Authorization"), QStringLiteral("authorization"));
    m_sourceFilter->addItem(tr("Key accepted from x-api-key"), QStringLiteral("x-api-key"));
    m_sourceFilter->addItem(tr("No key accepted"), QStringLiteral("none"));
    connect(m_sourceFilter, &QComboBox::currentIndexChanged, this, &TracePage::applySourceFilter);

    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("traceSearch"));
    m_search->setAccessibleName(tr("Search"));
    m_search->setPlaceholderText(tr("Search (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Search summary, peer, route, key name, reason and request id"));
    connect(m_search, &QLineEdit::textChanged, m_filter, &AuthTraceFilter::setSearchText);

    m_count = new QLabel;
    m_count->setObjectName(QStringLiteral("traceCount"));

    m_pause = new QPushButton(tr("Pause"));
    m_pause->setObjectName(QStringLiteral("tracePause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause the live list; new decisions are kept and shown on resume (Ctrl+P)"));
    connect(m_pause, &QPushButton::toggled, m_model, &AuthTraceModel::setPaused);
    connect(m_pause, &QPushButton::toggled, this, &TracePage::updatePauseButton);

    m_export = new QPushButton(tr("Export\u2026"));
    m_export->setObjectName(QStringLiteral("traceExport"));
    m_export->setToolTip(tr("Export the rows shown to JSON or CSV (Ctrl+E)"));
    connect(m_export, &QPushButton::clicked, this, &TracePage::exportRows);

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("traceTable"));
    m_table->setAccessibleName(tr("Auth decisions"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; arrows move between rows
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Fixed row heights and no resize-to-contents: the view never measures 50,000 rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    // Widths from sample texts instead of measuring rows (see above).
    const auto widthOf = [this](const QString &sample) { return fontMetrics().horizontalAdvance(sample) + 16; };
    header->resizeSection(AuthTraceModel::TimeColumn, widthOf(QStringLiteral("11-28 19:34:07.000")));
    header->resizeSection(AuthTraceModel::PeerColumn, widthOf(QStringLiteral("127.0.0.1")));
    header->resizeSection(AuthTraceModel::RouteColumn, widthOf(QStringLiteral("POST /v1/responses")));
    header->resizeSection(AuthTraceModel::OutcomeColumn, widthOf(QStringLiteral("● anonymous")) + 12);
    header->setSectionResizeMode(AuthTraceModel::SummaryColumn, QHeaderView::Stretch);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TracePage::showDetail);
    // A filter change keeps the selection only when its row stays; the pane must not keep showing a
    // decision the table no longer lists (the selection model says nothing when its row goes away).
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &TracePage::showSelectedDetail);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &TracePage::showSelectedDetail);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &TracePage::showSelectedDetail);

    m_detail = new QTextBrowser;
    m_detail->setObjectName(QStringLiteral("traceDetail"));
    m_detail->setPlaceholderText(tr("Select a decision to see each header the proxy looked at."));

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *filters = new FlowLayout; // wraps on a narrow window
    filters->addWidget(m_deniedOnly);
    filters->addWidget(m_keyFilter);
    filters->addWidget(m_sourceFilter);
    filters->addWidget(m_search);
    filters->addWidget(m_count);
    filters->addWidget(m_pause);
    filters->addWidget(m_export);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);

    setTabOrder(m_deniedOnly, m_keyFilter);
    setTabOrder(m_keyFilter, m_sourceFilter);
    setTabOrder(m_sourceFilter, m_search);
    setTabOrder(m_search, m_pause);
    setTabOrder(m_pause, m_export);
    setTabOrder(m_export, m_table);
    setTabOrder(m_table, m_detail);

    const auto shortcut = [this](const char *keys, auto slot) {
        auto *s = new QShortcut(QKeySequence(QString::fromLatin1(keys)), this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut("Ctrl+F", [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    shortcut("Ctrl+P", [this] { m_pause->toggle(); });
    shortcut("Ctrl+E", [this] { exportRows(); });
}

void TracePage::loadHistory()
{
    Core::Database &database = m_context.runtime.database();
    if (!database.isOpen())
        return;
    const auto history = Core::AuthEventRepository(database.connection()).recent(HistoryRows);
    if (!history) {
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              tr("Earlier auth decisions could not be loaded: %1").arg(history.error()));
        return;
    }
    m_model->setHistory(history.value());
}

void TracePage::reloadKeys()
{
    Core::Database &database = m_context.runtime.database();
    const qint64 selected = m_keyFilter->currentData().toLongLong();
    const QSignalBlocker blocker(m_keyFilter);
    m_keyFilter->clear();
    m_keyFilter->addItem(tr("All keys"), qint64(0));
    if (database.isOpen()) {
        const auto keys = Core::KeyRepository(database.connection()).list();
        if (keys) {
            for (const Core::KeyRecord &key : keys.value()) {
                m_keyFilter->addItem(key.name + QStringLiteral("  ") + key.maskedKey(), key.id);
                m_keyFilter->setItemData(m_keyFilter->count() - 1, key.name, KeyNameRole);
            }
        } else {
            m_banner->showMessage(MessageBanner::Kind::Warning,
                                  tr("Keys could not be listed: %1").arg(keys.error()));
        }
    }
    const int index = m_keyFilter->findData(selected);
    m_keyFilter->setCurrentIndex(qMax(0, index));
    applyKeyFilter();
}

void TracePage::showRequest(const QString &requestId, const QDateTime &time)
{
    m_deniedOnly->setChecked(false);
    m_keyFilter->setCurrentIndex(0);
    m_sourceFilter->setCurrentIndex(0);
    m_search->setText(requestId);
    m_filter->setRequest(requestId, time);
    if (m_filter->rowCount() > 0)
        m_table->selectRow(0);
    m_table->setFocus(Qt::OtherFocusReason);
}

void TracePage::applyKeyFilter()
{
    const qint64 keyId = m_keyFilter->currentData().toLongLong();
    // The name as it is now; steps of refused decisions only carry the name, not the id.
    m_filter->setKey(keyId, m_keyFilter->currentData(KeyNameRole).toString());
}

void TracePage::applySourceFilter()
{
    m_filter->setSource(m_sourceFilter->currentData().toString());
}

void TracePage::showDetail(const QModelIndex &current)
{
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->setHtml(AuthTraceDetail::toHtml(m_filter->traceAt(current.row())));
}

void TracePage::showSelectedDetail()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    showDetail(rows.isEmpty() ? QModelIndex() : rows.constFirst());
}

void TracePage::updatePauseButton()
{
    if (!m_model->isPaused()) {
        m_pause->setText(tr("Pause"));
        return;
    }
    QString text = tr("Resume (%1 new)").arg(m_model->pendingCount());
    if (m_model->droppedWhilePaused() > 0)
        text = tr("Resume (%1 new, %2 older dropped)")
                   .arg(m_model->pendingCount())
                   .arg(m_model->droppedWhilePaused());
    m_pause->setText(text);
}

void TracePage::updateCount()
{
    const int shown = m_filter->rowCount();
    const int total = m_model->rowCount();
    m_count->setText(shown == total ? tr("%1 decisions").arg(total)
                                    : tr("%1 of %2 decisions").arg(shown).arg(total));
}

void TracePage::exportRows()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("keygate-auth-trace-%1.json").arg(QDate::currentDate().toString(Qt::ISODate)));
    const QString path = m_context.dialogs.saveFileName(this, tr("Export auth trace"), suggested,
                                                        tr("JSON (*.json);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QList<Proxy::AuthTrace> traces = m_filter->visibleTraces();
    const bool csv = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(csv ? Core::AuthTraceExport::toCsv(traces) : Core::AuthTraceExport::toJson(traces)) < 0 ||
        !file.commit()) {
        m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("Could not export to %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    m_banner->showMessage(
        MessageBanner::Kind::Info,
        tr("Exported %n decision(s) to %1", nullptr, int(traces.size())).arg(QDir::toNativeSeparators(path)));
}

} // namespace Console
