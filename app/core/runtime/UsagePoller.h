// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/routing/RateLimitHints.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>

namespace Core {

/// Asks the ChatGPT usage endpoint (`GET {base}/wham/usage`) for each usable ChatGPT account's quota
/// windows, at most once a minute, and reports them; the proxy's usage-aware routing and the
/// Accounts page use them between requests (response headers update them during traffic).
/// Main thread (QNetworkAccessManager); never on the proxy's request path.
class UsagePoller final : public QObject
{
    Q_OBJECT

public:
    static constexpr int IntervalMs = 60'000;

    explicit UsagePoller(QObject *parent = nullptr);

    /// Polls @p accounts (the usable ChatGPT ones) now and every minute from then on with what the last
    /// call gave; an account asked less than a minute ago is skipped (the endpoint is rate limited too).
    /// Returns how many requests it started.
    int poll(const QList<Proxy::UpstreamAccount> &accounts);
    void stop() { m_timer.stop(); }

    /// The windows in a `/wham/usage` answer: `rate_limit.primary_window` / `secondary_window` with
    /// `used_percent` and `reset_at` (epoch seconds) or `reset_after_seconds`. A weekly-only answer
    /// (free plans) is the secondary window.
    static Proxy::QuotaWindows parse(const QByteArray &json, const QDateTime &now);

signals:
    void quotaFetched(qint64 accountId, const Proxy::QuotaWindows &windows);

private:
    int pollNow();

    QNetworkAccessManager m_network;
    QTimer m_timer;
    QList<Proxy::UpstreamAccount> m_accounts;
    QHash<qint64, QElapsedTimer> m_lastPolled;
};

} // namespace Core
