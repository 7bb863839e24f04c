// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/policy/KeyPolicy.h"
#include "proxy/policy/LimitStatus.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace Core {

class Database;

/// Changes a key's policy — limits, allowed models, allowed reasoning efforts — with validation, and
/// reads where its limits stand from the request log (for the CLI, and the console while the proxy is
/// stopped; the running proxy counts in memory). Main thread. Callers publish the keys afterwards
/// (ProxyRuntime::publishKeys) so that a running proxy enforces the change at once.
class KeyPolicyService final
{
public:
    explicit KeyPolicyService(Database &database);

    /// @p maxValue is tokens, or micro-dollars for a cost limit; > 0. The same type, window and model
    /// twice is refused. @p model empty = every model.
    Result<Proxy::KeyLimit> addLimit(qint64 keyId, Proxy::LimitType type, Proxy::LimitWindow window,
                                     qint64 maxValue, const QString &model = {});
    Status removeLimit(qint64 keyId, qint64 limitId);
    /// Makes the key's limits exactly @p limits (the console's editor): rules with the same type,
    /// window and model keep their id (and so their count), others are added or removed.
    Status replaceLimits(qint64 keyId, const QList<Proxy::KeyLimit> &limits);
    /// Writes what differs between @p from (the key's policy as read) and @p to: limits, models, efforts.
    Status changePolicy(qint64 keyId, const Proxy::KeyPolicy &from, const Proxy::KeyPolicy &to);
    /// Empty = every model. Names are trimmed; duplicates dropped.
    Status setAllowedModels(qint64 keyId, const QStringList &models);
    /// Empty = every effort. Each must be one of Proxy::knownReasoningEfforts().
    Status setAllowedEfforts(qint64 keyId, const QStringList &efforts);

    /// The key's limits at @p now, counted from the request log over each current window.
    Result<QList<Proxy::LimitStatus>> limitStatuses(qint64 keyId, const QDateTime &now) const;

    /// "tokens" / "5h" / "cost" etc. parsing with errors a person can act on.
    static Result<Proxy::LimitType> parseType(const QString &text);
    static Result<Proxy::LimitWindow> parseWindow(const QString &text);
    /// Tokens: a positive integer (underscores/commas allowed). Cost: USD with up to 6 decimals → micro-dollars.
    static Result<qint64> parseMax(Proxy::LimitType type, const QString &text);
    /// "1,250,000 tokens" or "$5.00".
    static QString formatAmount(Proxy::LimitType type, qint64 value);
    /// "1,250,000": thousands separated by commas, whatever the locale (CLI and console agree).
    static QString groupedDigits(qint64 value);

private:
    Database &m_database;
};

} // namespace Core
