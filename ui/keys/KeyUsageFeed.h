// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace Console {

/// What a batch of proxied requests added to one key.
struct KeyActivity final
{
    qint64 requests = 0;
    qint64 tokens = 0; ///< total tokens of the responses whose usage was known
    QDateTime lastUsed;
};

/// Sums the runtime's request records per key and hands them on at most every interval
/// (250 ms by default), so the Keys table is touched a few times a second however busy the
/// proxy is, and no SQL is needed per request. GUI thread.
class KeyUsageFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyUsageFeed)

public:
    explicit KeyUsageFeed(std::chrono::milliseconds interval = std::chrono::milliseconds(250),
                          QObject *parent = nullptr);

    /// Adds @p records (requests without a key are ignored); activityArrived() follows within the interval.
    void add(const QList<Proxy::RequestRecord> &records);

signals:
    void activityArrived(const QHash<qint64, Console::KeyActivity> &activity);

private:
    void flush();

    QTimer m_timer;
    QHash<qint64, KeyActivity> m_pending;
};

} // namespace Console
