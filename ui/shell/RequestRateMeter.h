// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include <QDate>
#include <QObject>
#include <QTimer>

namespace Console {

/// Requests per second (over the last full second) and requests today, from the proxy's batched
/// records. Counting only: no per-request signal reaches a widget. GUI thread.
class RequestRateMeter final : public QObject
{
    Q_OBJECT

public:
    explicit RequestRateMeter(QObject *parent = nullptr);

    void add(const QList<Proxy::RequestRecord> &records);
    /// Requests already in the log for today, so "today" survives a restart.
    void setTodayBaseline(qint64 count);

    double perSecond() const { return m_perSecond; }
    qint64 today() const { return m_today; }

signals:
    void updated(double perSecond, qint64 today); ///< once a second, only when something changed

private:
    void tick();

    QTimer m_timer;
    qint64 m_thisSecond = 0;
    double m_perSecond = 0;
    qint64 m_today = 0;
    QDate m_day;
};

} // namespace Console
