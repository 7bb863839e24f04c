// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace Console {

class AuthTraceFilter;
class AuthTraceModel;
class MessageBanner;

/// The auth trace page: every auth decision of the proxy, newest first, live from the runtime's
/// batched authTraced signal, with the recent history from `auth_events` loaded once on creation.
/// Filters (refused only, key, source header, text), a detail pane for the selected decision,
/// pause/resume and export of the filtered rows to JSON or CSV. No SQL per request. GUI thread.
class TracePage final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int HistoryRows = 10'000;

    explicit TracePage(ConsoleContext &context, QWidget *parent = nullptr);

    AuthTraceModel &model() { return *m_model; }
    /// Shows only the decision of request @p requestId at @p time (every other filter cleared, its
    /// id in the search box; editing the search ends it) and selects it, e.g. when the overview's
    /// denied list is clicked.
    void showRequest(const QString &requestId, const QDateTime &time);
    AuthTraceFilter &filter() { return *m_filter; }

private:
    void buildUi();
    void loadHistory();
    void reloadKeys();
    void applyKeyFilter();
    void applySourceFilter();
    void showDetail(const QModelIndex &current);
    /// The detail of the selected row, or none when no row is selected (any longer).
    void showSelectedDetail();
    void updatePauseButton();
    void updateCount();
    void exportRows();

    ConsoleContext &m_context;
    AuthTraceModel *m_model = nullptr;
    AuthTraceFilter *m_filter = nullptr;
    MessageBanner *m_banner = nullptr;
    QCheckBox *m_deniedOnly = nullptr;
    QComboBox *m_keyFilter = nullptr;
    QComboBox *m_sourceFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_export = nullptr;
    QTableView *m_table = nullptr;
    QTextBrowser *m_detail = nullptr;
};

} // namespace Console
