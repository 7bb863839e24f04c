// SPDX-License-Identifier: MIT
#include "ui/trace/AuthTraceModel.h"

#include "ui/common/StatusColors.h"

#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace Console {

namespace {

// Drawn at 1× and 2×, so the dot stays round and sharp on a HiDPI screen.
QIcon dotIcon(const QColor &color)
{
    QIcon icon;
    for (const int scale : {1, 2}) {
        QPixmap pixmap(12 * scale, 12 * scale);
        pixmap.setDevicePixelRatio(scale);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(1, 1, 10, 10));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

AuthTraceModel::AuthTraceModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_insertTimer.setSingleShot(true);
    m_insertTimer.setInterval(DefaultInsertIntervalMs);
    connect(&m_insertTimer, &QTimer::timeout, this, &AuthTraceModel::flushPending);
    for (const Proxy::AuthVerdict verdict : {Proxy::AuthVerdict::Accepted, Proxy::AuthVerdict::Anonymous,
                                             Proxy::AuthVerdict::Denied, Proxy::AuthVerdict::Rejected,
                                             Proxy::AuthVerdict::Refused, Proxy::AuthVerdict::Reset})
        m_icons[size_t(verdict)] = dotIcon(verdictColor(verdict));
}

int AuthTraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuthTraceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const AuthTraceRow &AuthTraceModel::rowAt(int row) const
{
    Q_ASSERT(row >= 0 && size_t(row) < m_rows.size());
    return m_rows[m_rows.size() - 1 - size_t(row)];
}

QColor AuthTraceModel::verdictColor(Proxy::AuthVerdict verdict)
{
    switch (verdict) {
    case Proxy::AuthVerdict::Accepted:
        return StatusColors::text(StatusColors::Status::Ok);
    case Proxy::AuthVerdict::Anonymous:
        return StatusColors::text(StatusColors::Status::Muted);
    case Proxy::AuthVerdict::Denied:
        return StatusColors::text(StatusColors::Status::Error);
    case Proxy::AuthVerdict::Rejected:
        return StatusColors::text(StatusColors::Status::Warning);
    case Proxy::AuthVerdict::Refused:
        return StatusColors::text(StatusColors::Status::Refused);
    case Proxy::AuthVerdict::Reset:
        return StatusColors::text(StatusColors::Status::Muted);
    }
    return {};
}

QString AuthTraceModel::timeText(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("MM-dd HH:mm:ss.zzz")); // the year is in the tooltip
}

QVariant AuthTraceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const AuthTraceRow &row = rowAt(index.row());
    const Proxy::AuthTrace &trace = row.trace;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return timeText(trace.time);
        case PeerColumn:
            return trace.peer;
        case RouteColumn:
            return row.route;
        case SummaryColumn:
            return row.summary;
        case OutcomeColumn:
            return Proxy::toString(trace.verdict);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return trace.time.toLocalTime().toString(Qt::ISODateWithMs);
        if (index.column() == RouteColumn)
            return row.route;
        if (index.column() == SummaryColumn)
            return row.summary;
        if (index.column() == OutcomeColumn)
            return trace.status > 0 ? QStringLiteral("%1 %2").arg(trace.status).arg(trace.reason)
                                    : Proxy::toString(trace.verdict);
        break;
    case Qt::DecorationRole:
        if (index.column() == OutcomeColumn)
            return m_icons[size_t(trace.verdict)];
        break;
    case Qt::ForegroundRole:
        if (index.column() == OutcomeColumn)
            return verdictColor(trace.verdict);
        break;
    default:
        break;
    }
    return {};
}

QVariant AuthTraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case PeerColumn:
        return tr("Peer");
    case RouteColumn:
        return tr("Route");
    case SummaryColumn:
        return tr("Summary");
    case OutcomeColumn:
        return tr("Outcome");
    }
    return {};
}

AuthTraceRow AuthTraceModel::makeRow(const Proxy::AuthTrace &trace)
{
    return AuthTraceRow{trace, trace.summary(), trace.method + u' ' + trace.path};
}

void AuthTraceModel::setHistory(const QList<Proxy::AuthTrace> &newestFirst)
{
    beginResetModel();
    m_rows.clear();
    const qsizetype count = qMin<qsizetype>(newestFirst.size(), m_maxRows);
    for (qsizetype i = count - 1; i >= 0; --i)
        m_rows.push_back(makeRow(newestFirst.at(i)));
    endResetModel();
}

void AuthTraceModel::append(const QList<Proxy::AuthTrace> &traces)
{
    if (traces.isEmpty())
        return;
    for (const Proxy::AuthTrace &trace : traces)
        m_pending.push_back(trace);
    // The buffer never needs more than a full model's worth: older traces would be dropped anyway.
    while (m_pending.size() > size_t(m_maxRows)) {
        m_pending.pop_front();
        if (m_paused)
            ++m_droppedWhilePaused;
    }
    if (m_paused)
        emit pendingChanged(pendingCount());
    else if (!m_insertTimer.isActive())
        m_insertTimer.start();
}

void AuthTraceModel::flushPending()
{
    m_insertTimer.stop();
    if (m_paused || m_pending.empty())
        return;
    const int incoming = int(m_pending.size());
    trimTo(m_maxRows - incoming);
    beginInsertRows({}, 0, incoming - 1);
    for (const Proxy::AuthTrace &trace : m_pending)
        m_rows.push_back(makeRow(trace));
    endInsertRows();
    m_pending.clear();
}

void AuthTraceModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    m_droppedWhilePaused = 0;
    if (!paused)
        flushPending();
    emit pendingChanged(pendingCount());
}

void AuthTraceModel::setMaxRows(int maxRows)
{
    m_maxRows = qMax(1, maxRows);
    trimTo(m_maxRows);
    while (m_pending.size() > size_t(m_maxRows))
        m_pending.pop_front();
}

void AuthTraceModel::trimTo(int maxRows)
{
    const int keep = qMax(0, maxRows);
    const int count = rowCount();
    if (count <= keep)
        return;
    // The oldest rows are at the bottom of the model and at the front of the deque.
    beginRemoveRows({}, keep, count - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + (count - keep));
    endRemoveRows();
}

} // namespace Console
