// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;

namespace Proxy {

/// Single-flight token refresh on the proxy side: the first request that needs a fresh token for an
/// account emits refreshRequested(); every request that asks while that refresh runs waits for the
/// same answer. The answer (resolve()) or the time limit calls every waiter once; a waiter whose
/// context object is gone is skipped. Lives on the proxy thread.
class TokenRefreshGate final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenRefreshGate)

public:
    /// true: a new token was applied; false: the refresh failed or took longer than the limit.
    using Callback = std::function<void(bool refreshed)>;

    explicit TokenRefreshGate(int waitMs = 15'000, QObject *parent = nullptr);

    /// Waits for a refresh of @p accountId, asking for one unless one is already running.
    void await(qint64 accountId, QObject *context, Callback callback);
    /// The refresh of @p accountId ended: calls every waiter with @p refreshed.
    void resolve(qint64 accountId, bool refreshed);
    bool isPending(qint64 accountId) const { return m_flights.contains(accountId); }

signals:
    void refreshRequested(qint64 accountId);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback callback;
    };
    struct Flight
    {
        QTimer *timer = nullptr;
        QList<Waiter> waiters;
    };

    int m_waitMs;
    QHash<qint64, Flight> m_flights;
};

} // namespace Proxy
