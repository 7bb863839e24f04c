// SPDX-License-Identifier: MIT
#include "ui/keys/KeyUsageFeed.h"

namespace Console {

KeyUsageFeed::KeyUsageFeed(std::chrono::milliseconds interval, QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &KeyUsageFeed::flush);
}

void KeyUsageFeed::add(const QList<Proxy::RequestRecord> &records)
{
    for (const Proxy::RequestRecord &record : records) {
        if (record.keyId == 0)
            continue;
        KeyActivity &activity = m_pending[record.keyId];
        ++activity.requests;
        if (record.usage)
            activity.tokens += record.usage->total;
        if (!activity.lastUsed.isValid() || record.time > activity.lastUsed)
            activity.lastUsed = record.time;
    }
    if (!m_pending.isEmpty() && !m_timer.isActive())
        m_timer.start();
}

void KeyUsageFeed::flush()
{
    if (m_pending.isEmpty())
        return;
    const QHash<qint64, KeyActivity> activity = std::exchange(m_pending, {});
    emit activityArrived(activity);
}

} // namespace Console
