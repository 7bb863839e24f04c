// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QIcon>
#include <QTimer>

#include <array>
#include <deque>

namespace Console {

/// One row of the trace list: the trace plus the strings the view and the filters read often.
struct AuthTraceRow final
{
    Proxy::AuthTrace trace;
    QString summary; ///< trace.summary(), computed once
    QString route;   ///< "POST /v1/responses"
};

/// The live list of auth decisions, newest first (row 0). Bounded to maxRows() (the oldest rows
/// are dropped). Incoming traces are buffered and inserted together every insertIntervalMs(), so a
/// burst costs one beginInsertRows; while paused they stay buffered (bounded as well) and are
/// counted, and they appear on resume. GUI thread.
class AuthTraceModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthTraceModel)

public:
    enum Column
    {
        TimeColumn,
        PeerColumn,
        RouteColumn,
        SummaryColumn,
        OutcomeColumn,
        ColumnCount
    };

    static constexpr int DefaultMaxRows = 50'000;
    static constexpr int DefaultInsertIntervalMs = 250;

    explicit AuthTraceModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Row @p row (0 = newest); valid for 0 <= row < rowCount().
    const AuthTraceRow &rowAt(int row) const;

    /// Replaces everything with @p newestFirst (history from the auth-events table).
    void setHistory(const QList<Proxy::AuthTrace> &newestFirst);
    /// Live traces in arrival order (oldest first, as the runtime emits them); buffered.
    void append(const QList<Proxy::AuthTrace> &traces);
    /// Inserts the buffered traces now (unless paused).
    void flushPending();

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Traces waiting in the buffer (while paused: how many arrived since the pause, up to maxRows()).
    int pendingCount() const { return int(m_pending.size()); }
    /// Traces that were dropped from the full pause buffer since the pause.
    qint64 droppedWhilePaused() const { return m_droppedWhilePaused; }

    void setMaxRows(int maxRows);
    int maxRows() const { return m_maxRows; }
    void setInsertIntervalMs(int ms) { m_insertTimer.setInterval(ms); }

    static QColor verdictColor(Proxy::AuthVerdict verdict);
    static QString timeText(const QDateTime &time); ///< local time with milliseconds

signals:
    /// The pause buffer changed (only emitted while paused).
    void pendingChanged(int pending);

private:
    static AuthTraceRow makeRow(const Proxy::AuthTrace &trace);
    void trimTo(int maxRows);

    std::deque<AuthTraceRow> m_rows;        // oldest first; row r of the model is m_rows[size - 1 - r]
    std::deque<Proxy::AuthTrace> m_pending; // oldest first
    QTimer m_insertTimer;
    std::array<QIcon, 6> m_icons; // one per verdict, shared by all rows
    int m_maxRows = DefaultMaxRows;
    bool m_paused = false;
    qint64 m_droppedWhilePaused = 0;
};

} // namespace Console
