// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/UpstreamConfig.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Proxy {

/// How the pool picks an account for a request that has no sticky account yet.
enum class RoutingStrategy {
    RoundRobin, ///< least recently selected first
    FillFirst,  ///< priority order: drain the first account before the next
    Usage       ///< most remaining quota first (x-codex-*-used-percent headers, the usage endpoint)
};

QString toString(RoutingStrategy strategy); ///< "round-robin", "fill-first", "usage"
RoutingStrategy routingStrategyFromString(const QString &text, bool *ok = nullptr);

/// The stored state of an account, set by the user or by a failed refresh.
enum class AccountState {
    Active,
    Paused,     ///< by the user: never selected
    NeedsReauth ///< its refresh failed permanently: never selected until a new login or token
};

QString toString(AccountState state); ///< "active", "paused", "needs-reauth"
AccountState accountStateFromString(const QString &text, bool *ok = nullptr);

/// One upstream account as the proxy needs it: where to send, with which credential (in memory
/// only), and whether it may be used. Copied into the proxy thread as part of ProxyConfig.
struct UpstreamAccount final
{
    qint64 id = 0;           ///< the `accounts` row id; request records name it
    QString name;
    int priority = 0;        ///< lower first (fill-first order, tie-breaks)
    AccountState state = AccountState::Active;
    UpstreamConfig upstream; ///< kind, base URL, chatgpt account id, access token
    bool refreshable = false; ///< a refresh token is stored: a 401 triggers one refresh before failover

    bool isUsable() const { return state == AccountState::Active && upstream.isConfigured(); }
};

/// What the proxy learned about an account at run time; batched to the UI and the store.
struct AccountRuntimeStatus final
{
    qint64 id = 0;
    QDateTime cooldownUntil;      ///< rate limited (a 429) until then (UTC); invalid = not cooling down
    int primaryUsedPercent = -1;  ///< -1 = unknown
    int secondaryUsedPercent = -1;
    QDateTime primaryResetAt;     ///< UTC, invalid = unknown
    QDateTime secondaryResetAt;
    int consecutiveErrors = 0;
    QDateTime backoffUntil;       ///< out after consecutive errors until then (UTC); invalid = no backoff
    QString lastError;
    bool needsReauth = false;     ///< its refresh failed in this process: skipped until accounts are re-applied

    bool isCoolingDown(const QDateTime &now) const { return cooldownUntil.isValid() && now < cooldownUntil; }
    bool isBackingOff(const QDateTime &now) const { return backoffUntil.isValid() && now < backoffUntil; }

    friend bool operator==(const AccountRuntimeStatus &, const AccountRuntimeStatus &) = default;
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::UpstreamAccount)
Q_DECLARE_METATYPE(Proxy::AccountRuntimeStatus)
