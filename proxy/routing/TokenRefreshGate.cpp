// SPDX-License-Identifier: MIT
#include "proxy/routing/TokenRefreshGate.h"

#include <QTimer>

namespace Proxy {

TokenRefreshGate::TokenRefreshGate(int waitMs, QObject *parent) : QObject(parent), m_waitMs(waitMs) {}

void TokenRefreshGate::await(qint64 accountId, QObject *context, Callback callback)
{
    auto found = m_flights.find(accountId);
    if (found != m_flights.end()) {
        found->waiters.append({context, std::move(callback)});
        return;
    }
    Flight flight;
    flight.timer = new QTimer(this);
    flight.timer->setSingleShot(true);
    connect(flight.timer, &QTimer::timeout, this, [this, accountId] { resolve(accountId, false); });
    flight.timer->start(m_waitMs);
    flight.waiters.append({context, std::move(callback)});
    m_flights.insert(accountId, flight);
    emit refreshRequested(accountId);
}

void TokenRefreshGate::resolve(qint64 accountId, bool refreshed)
{
    const auto found = m_flights.constFind(accountId);
    if (found == m_flights.constEnd())
        return;
    const Flight flight = *found;
    m_flights.erase(found);
    flight.timer->stop();
    flight.timer->deleteLater();
    for (const Waiter &waiter : flight.waiters)
        if (waiter.context)
            waiter.callback(refreshed);
}

} // namespace Proxy
