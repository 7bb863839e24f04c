// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/routing/RateLimitHints.h"
#include "proxy/routing/StickinessTable.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>

#include <functional>
#include <optional>

namespace Proxy {

/// Why no account could be selected.
enum class NoAccountReason {
    None,           ///< an account was selected
    NoneConfigured, ///< the pool is empty
    NotUsable,      ///< every account is paused, needs re-auth or lacks credentials (see message)
    CoolingDown,    ///< every usable account is rate limited (see retryAt)
    AllTried        ///< every eligible account was already tried for this request
};

/// The outcome of AccountPool::select().
struct AccountSelection final
{
    std::optional<UpstreamAccount> account;
    NoAccountReason reason = NoAccountReason::None;
    QString message;  ///< why none, for the client ("all accounts are paused", …)
    QDateTime retryAt; ///< CoolingDown: when the first account comes back (UTC)
};

/// The upstream accounts and what the proxy learned about them at run time: cooldowns (429 resets,
/// error backoff), quota windows from response headers, consecutive errors, last selection, refresh
/// failures. Picks the account for each attempt: a live sticky mapping first, else the strategy
/// (round robin, fill first, usage) among the eligible accounts (usable, not cooling down, not
/// excluded). Plain class on the proxy thread; the caller passes the current time.
class AccountPool final
{
public:
    static constexpr int ErrorBackoffThreshold = 3; ///< consecutive failures before the backoff starts

    /// The accounts to route to, in configuration order. An account that stays keeps its runtime state,
    /// except that a new access token (set-token, a login, an import, a refresh) clears what the old
    /// credential earned: consecutive errors, the error backoff and needs-reauth. A rate-limit cooldown
    /// stays: quota belongs to the account, not to its token.
    void applyAccounts(const QList<UpstreamAccount> &accounts);
    void setStrategy(RoutingStrategy strategy) { m_strategy = strategy; }
    RoutingStrategy strategy() const { return m_strategy; }
    void setStickyTtlSeconds(int seconds) { m_sticky.setTtlMs(qint64(seconds) * 1000); }

    /// The account to try next. @p stickyKey (may be empty) keeps a conversation on one account: its
    /// mapping is created on first use and replaced when the mapped account is no longer eligible.
    AccountSelection select(const QString &stickyKey, const QSet<qint64> &excluded, const QDateTime &now);
    /// The first usable account in priority order, ignoring cooldowns (the model list).
    AccountSelection firstUsable() const;
    /// Whether any account (usable or not) is of @p kind: a request only a kind can serve is refused
    /// at once when the pool has none of it.
    bool hasKind(UpstreamConfig::Kind kind) const;
    /// The account as it is now (its token may have been refreshed since it was selected).
    std::optional<UpstreamAccount> account(qint64 id) const;

    void reportSuccess(qint64 id);
    /// A 429: out until @p resetAt, or an exponential backoff (30 s · 2^n, ≤ 300 s) when it is invalid.
    void reportRateLimited(qint64 id, const QDateTime &resetAt, const QDateTime &now);
    /// A 5xx, a 401 or a connection failure: after ErrorBackoffThreshold in a row, out for 30 s · 2^(n-3) ≤ 300 s.
    void reportFailure(qint64 id, const QString &error, const QDateTime &now);
    /// Reads the quota headers of any upstream response (missing or invalid values are ignored).
    void observeHeaders(qint64 id, const HttpHeaders &headers, const QDateTime &now);
    /// Quota windows learned elsewhere (the usage endpoint the main thread polls).
    void observeQuota(qint64 id, const QuotaWindows &windows);
    /// A refreshed access token: used from now on, and the account is eligible again (see applyAccounts
    /// for what a new credential clears).
    void updateToken(qint64 id, const QByteArray &token);
    /// Its refresh failed: never selected until accounts are applied again.
    void markNeedsReauth(qint64 id);
    /// The upstream refused its credential (a 401 after any refresh): needs re-auth, never selected,
    /// until its token changes (accounts applied again with the same token keep it so).
    void markCredentialRefused(qint64 id, const QString &error);

    AccountRuntimeStatus status(qint64 id) const;
    /// The status of every account whose status changed since the last call.
    QList<AccountRuntimeStatus> takeStatusChanges();
    /// Called whenever a status may have changed (the owner schedules takeStatusChanges()).
    void setChangeNotifier(std::function<void()> notifier) { m_notify = std::move(notifier); }

private:
    struct Entry
    {
        UpstreamAccount account;
        AccountRuntimeStatus runtime;
        int rateLimitStreak = 0;
        quint64 lastSelected = 0; ///< selection sequence number, 0 = never
        bool credentialRefused = false; ///< markCredentialRefused(): lasts until the token changes
    };

    Entry *find(qint64 id);
    const Entry *find(qint64 id) const;
    bool isUsable(const Entry &entry) const;
    /// Rate limited or backing off at @p now; a cooldown or backoff that has ended is cleared.
    bool isCooling(Entry &entry, const QDateTime &now);
    static void forgetCredentialErrors(AccountRuntimeStatus &runtime);
    const Entry *pick(const QList<const Entry *> &candidates) const;
    /// Why nothing is eligible; an invalid @p now ignores cooldowns.
    AccountSelection unavailable(const QSet<qint64> &excluded, const QDateTime &now) const;
    void changed(qint64 id);

    QList<Entry> m_entries; ///< in configuration order (the last tie-break)
    RoutingStrategy m_strategy = RoutingStrategy::RoundRobin;
    StickinessTable m_sticky;
    quint64 m_sequence = 0;
    QSet<qint64> m_dirty;
    QHash<qint64, AccountRuntimeStatus> m_reported;
    std::function<void()> m_notify;
};

} // namespace Proxy
