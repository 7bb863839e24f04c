// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/auth/AuthTrace.h"
#include "proxy/auth/KeySnapshot.h"
#include "proxy/metrics/RequestCount.h"
#include "proxy/policy/HourlyUsage.h"
#include "proxy/policy/LimitStatus.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/TokenUsage.h"
#include "proxy/routing/RateLimitHints.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QThread>

namespace Proxy {

class ProxyServer;

/// The only object the rest of the application talks to. Lives on the caller's (main) thread and
/// owns the proxy thread; every call is queued to it, results come back as (batched) signals.
class ProxyController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyController)

public:
    explicit ProxyController(QObject *parent = nullptr);
    ~ProxyController() override; ///< stops at once and joins the thread

    void start(const ProxyConfig &config);
    void applyConfig(const ProxyConfig &config);
    /// Moves the listening socket to @p address:@p port, trying the new one before closing the old:
    /// listenerMoved() follows, or listenerMoveFailed() with the old listener still in place (or
    /// failed() in the rare case that neither could be kept).
    void moveListener(const QHostAddress &address, quint16 port);
    void applyKeys(const KeySnapshotPtr &keys);
    /// Lifetime usage per key id as stored; /v1/usage adds what this process recorded since.
    void applyUsageBaseline(const QHash<qint64, UsageTotals> &totals);
    /// Stored request counts by route, status and outcome: where `keygate_requests_total` starts.
    void applyRequestBaseline(const QList<RequestCount> &counts);
    void applyHourlyUsage(const QList<HourlyUsage> &rows);
    /// The access token of @p accountId after a refresh (an answer to refreshRequested()): requests
    /// waiting on it retry once with it, and later requests use it.
    void applyAccountToken(qint64 accountId, const QByteArray &accessToken);
    /// The refresh of @p accountId failed: the proxy skips it until accounts are applied again (with
    /// applyConfig), and requests waiting on it fail over.
    void accountRefreshFailed(qint64 accountId);
    /// Quota windows of an account from the usage endpoint (the usage strategy and the UI use them).
    void applyAccountQuota(qint64 accountId, const QuotaWindows &windows);
    /// Stops accepting, lets in-flight responses finish for up to @p graceMs, then emits stopped().
    void stop(int graceMs);

signals:
    void started(const QString &hostPort);
    void failed(const QString &message);
    void listenerMoved(const QString &hostPort);
    void listenerMoveFailed(const QString &message);
    void stopped();
    void authTraced(const QList<Proxy::AuthTrace> &traces);          ///< batched, ≤ every 100 ms
    void requestsRecorded(const QList<Proxy::RequestRecord> &records); ///< batched, ≤ every 100 ms
    /// A request got a 401 from a refreshable account: refresh its token, then answer with
    /// applyAccountToken() or accountRefreshFailed() (within 15 s, or the waiting requests fail over).
    /// Emitted once per refresh however many requests wait for it.
    void refreshRequested(qint64 accountId);
    /// The runtime status of the accounts whose status changed (cooldown, quota, errors); batched.
    void accountStatusChanged(const QList<Proxy::AccountRuntimeStatus> &statuses);
    void limitStatusesChanged(const QList<Proxy::LimitStatus> &statuses);

private:
    QThread m_thread;
    ProxyServer *m_server = nullptr; // lives on m_thread; deleted there on finished
};

} // namespace Proxy
