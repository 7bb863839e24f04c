// SPDX-License-Identifier: MIT
#include "proxy/routing/UpstreamAccount.h"

namespace Proxy {

QString toString(RoutingStrategy strategy)
{
    switch (strategy) {
    case RoutingStrategy::RoundRobin:
        return QStringLiteral("round-robin");
    case RoutingStrategy::FillFirst:
        return QStringLiteral("fill-first");
    case RoutingStrategy::Usage:
        return QStringLiteral("usage");
    }
    return {};
}

RoutingStrategy routingStrategyFromString(const QString &text, bool *ok)
{
    for (RoutingStrategy strategy : {RoutingStrategy::RoundRobin, RoutingStrategy::FillFirst, RoutingStrategy::Usage}) {
        if (toString(strategy) == text) {
            if (ok)
                *ok = true;
            return strategy;
        }
    }
    if (ok)
        *ok = false;
    return RoutingStrategy::RoundRobin;
}

QString toString(AccountState state)
{
    switch (state) {
    case AccountState::Active:
        return QStringLiteral("active");
    case AccountState::Paused:
        return QStringLiteral("paused");
    case AccountState::NeedsReauth:
        return QStringLiteral("needs-reauth");
    }
    return {};
}

AccountState accountStateFromString(const QString &text, bool *ok)
{
    for (AccountState state : {AccountState::Active, AccountState::Paused, AccountState::NeedsReauth}) {
        if (toString(state) == text) {
            if (ok)
                *ok = true;
            return state;
        }
    }
    if (ok)
        *ok = false;
    return AccountState::Active;
}

} // namespace Proxy
