// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"
#include "proxy/policy/LimitStatus.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace Core {

class KeyPolicyService;
class KeyService;

/// `keygate keys limit|models|efforts ID_OR_NAME ...`: changes and shows a key's limits and its model
/// and reasoning-effort allowlists. A running `keygate serve` picks the change up from the database.
/// Main thread.
int runKeyPolicyCommand(const QString &action, KeyService &keys, KeyPolicyService &policy,
                        const QStringList &arguments);

namespace Cli {

/// One limit as codex-lb reports it (limit_type, limit_window, max_value, current_value clamped,
/// remaining_value, model_filter or null, reset_at) plus its id and counted_from (its last usage reset
/// or null).
QJsonObject limitStatusJson(const Proxy::LimitStatus &status);
/// "340 / 1,000 tokens" or "$0.12 / $5.00" (used clamped to the maximum).
QString usedOfMax(const Proxy::LimitStatus &status);
/// "in 3h 12m" from @p now until @p at ("in 2d 4h", "in 12m", "in <1m").
QString countdown(const QDateTime &now, const QDateTime &at);
/// A key's policy in one short cell of `keys list`: "models a,b; efforts low; tokens/day 40%" or "-".
QString policySummary(const Proxy::KeyPolicy &policy, const QList<Proxy::LimitStatus> &statuses);

} // namespace Cli

} // namespace Core
