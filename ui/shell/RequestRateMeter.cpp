// SPDX-License-Identifier: MIT
#include "ui/shell/RequestRateMeter.h"

#include <QDateTime>

namespace Console {

RequestRateMeter::RequestRateMeter(QObject *parent) : QObject(parent), m_day(QDate::currentDate())
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &RequestRateMeter::tick);
    m_timer.start();
}

void RequestRateMeter::add(const QList<Proxy::RequestRecord> &records)
{
    m_thisSecond += records.size();
    m_today += records.size();
}

void RequestRateMeter::setTodayBaseline(qint64 count)
{
    m_today = count;
    emit updated(m_perSecond, m_today);
}

void RequestRateMeter::tick()
{
    const QDate day = QDate::currentDate();
    if (day != m_day) {
        m_day = day;
        m_today = m_thisSecond;
    }
    const double previous = m_perSecond;
    m_perSecond = double(m_thisSecond);
    const bool changed = m_thisSecond != 0 || previous != 0;
    m_thisSecond = 0;
    if (changed)
        emit updated(m_perSecond, m_today);
}

} // namespace Console
