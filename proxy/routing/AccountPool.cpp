// SPDX-License-Identifier: MIT
#include "proxy/routing/AccountPool.h"

#include "proxy/routing/RateLimitHints.h"

#include <QStringList>

#include <algorithm>

namespace Proxy {

namespace {

constexpr qint64 BackoffBaseSeconds = 30;
constexpr qint64 BackoffMaxSeconds = 300;
const QString RateLimitedError = QStringLiteral("rate limited (HTTP 429)");

qint64 backoffSeconds(int step)
{
    return std::min(BackoffMaxSeconds, BackoffBaseSeconds << std::clamp(step, 0, 8));
}

/// The larger of the two used percents; unknown counts as 0 %.
int usedPercent(const AccountRuntimeStatus &status)
{
    return std::max({status.primaryUsedPercent, status.secondaryUsedPercent, 0});
}

/// When an account that is cooling down or backing off at @p now is eligible again.
QDateTime outUntil(const AccountRuntimeStatus &status, const QDateTime &now)
{
    QDateTime until;
    if (status.isCoolingDown(now))
        until = status.cooldownUntil;
    if (status.isBackingOff(now) && (!until.isValid() || status.backoffUntil > until))
        until = status.backoffUntil;
    return until;
}

} // namespace

void AccountPool::applyAccounts(const QList<UpstreamAccount> &accounts)
{
    QList<Entry> entries;
    entries.reserve(accounts.size());
    for (const UpstreamAccount &account : accounts) {
        Entry entry;
        if (const Entry *old = find(account.id)) {
            entry = *old;
            if (!account.upstream.token.isEmpty() && account.upstream.token != old->account.upstream.token) {
                forgetCredentialErrors(entry.runtime);
                entry.credentialRefused = false;
            }
            // New account data: the owner decides again, but a refused credential stays refused.
            entry.runtime.needsReauth = entry.credentialRefused;
            if (!(entry.runtime == old->runtime))
                m_dirty.insert(account.id);
        } else {
            entry.runtime.id = account.id;
        }
        entry.account = account;
        entries.append(entry);
    }
    for (const Entry &old : std::as_const(m_entries)) {
        if (std::none_of(accounts.begin(), accounts.end(), [&](const UpstreamAccount &a) { return a.id == old.account.id; })) {
            m_sticky.forgetAccount(old.account.id);
            m_reported.remove(old.account.id);
            m_dirty.remove(old.account.id);
        }
    }
    m_entries = std::move(entries);
    if (!m_dirty.isEmpty() && m_notify)
        m_notify();
}

AccountPool::Entry *AccountPool::find(qint64 id)
{
    for (Entry &entry : m_entries)
        if (entry.account.id == id)
            return &entry;
    return nullptr;
}

const AccountPool::Entry *AccountPool::find(qint64 id) const
{
    return const_cast<AccountPool *>(this)->find(id);
}

bool AccountPool::isUsable(const Entry &entry) const
{
    return entry.account.isUsable() && !entry.runtime.needsReauth;
}

bool AccountPool::isCooling(Entry &entry, const QDateTime &now)
{
    AccountRuntimeStatus &runtime = entry.runtime;
    bool ended = false;
    if (runtime.cooldownUntil.isValid() && !runtime.isCoolingDown(now)) {
        runtime.cooldownUntil = QDateTime();
        ended = true;
    }
    if (runtime.backoffUntil.isValid() && !runtime.isBackingOff(now)) {
        runtime.backoffUntil = QDateTime(); // the error count stays: the next failure backs off longer
        ended = true;
    }
    if (ended)
        changed(entry.account.id);
    return runtime.cooldownUntil.isValid() || runtime.backoffUntil.isValid();
}

void AccountPool::forgetCredentialErrors(AccountRuntimeStatus &runtime)
{
    runtime.consecutiveErrors = 0;
    runtime.backoffUntil = QDateTime();
    runtime.needsReauth = false;
    runtime.lastError = runtime.cooldownUntil.isValid() ? RateLimitedError : QString();
}

const AccountPool::Entry *AccountPool::pick(const QList<const Entry *> &candidates) const
{
    // Candidates are in configuration order; a strict "better than" keeps the first on ties.
    const auto better = [this](const Entry *a, const Entry *b) {
        switch (m_strategy) {
        case RoutingStrategy::RoundRobin:
            if (a->lastSelected != b->lastSelected)
                return a->lastSelected < b->lastSelected;
            break;
        case RoutingStrategy::Usage:
            if (usedPercent(a->runtime) != usedPercent(b->runtime))
                return usedPercent(a->runtime) < usedPercent(b->runtime);
            break;
        case RoutingStrategy::FillFirst:
            break;
        }
        return a->account.priority < b->account.priority;
    };
    const Entry *best = nullptr;
    for (const Entry *candidate : candidates)
        if (!best || better(candidate, best))
            best = candidate;
    return best;
}

AccountSelection AccountPool::select(const QString &stickyKey, const QSet<qint64> &excluded, const QDateTime &now)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const auto eligible = [&](Entry &entry) { return isUsable(entry) && !isCooling(entry, now); };
    const auto chosen = [&](Entry &entry) {
        entry.lastSelected = ++m_sequence;
        return AccountSelection{entry.account, NoAccountReason::None, {}, {}};
    };

    bool keepMapping = false;
    if (!stickyKey.isEmpty()) {
        if (Entry *mapped = find(m_sticky.lookup(stickyKey, nowMs)); mapped && eligible(*mapped)) {
            if (!excluded.contains(mapped->account.id)) {
                m_sticky.assign(stickyKey, mapped->account.id, nowMs);
                return chosen(*mapped);
            }
            keepMapping = true; // only this request moves on; the conversation stays with its account
        }
    }

    QList<const Entry *> candidates;
    const Entry *soonestBackoff = nullptr;
    for (Entry &entry : m_entries) {
        if (excluded.contains(entry.account.id) || !isUsable(entry))
            continue;
        if (!isCooling(entry, now))
            candidates.append(&entry);
        else if (!entry.runtime.isCoolingDown(now)
                 && (!soonestBackoff || entry.runtime.backoffUntil < soonestBackoff->runtime.backoffUntil))
            soonestBackoff = &entry;
    }
    // Only error backoffs left: better the account that recovers first than no answer at all.
    const Entry *best = candidates.isEmpty() ? soonestBackoff : pick(candidates);
    if (!best)
        return unavailable(excluded, now);
    Entry *entry = find(best->account.id);
    if (!stickyKey.isEmpty() && !keepMapping)
        m_sticky.assign(stickyKey, entry->account.id, nowMs);
    return chosen(*entry);
}

AccountSelection AccountPool::unavailable(const QSet<qint64> &excluded, const QDateTime &now) const
{
    AccountSelection out;
    if (m_entries.isEmpty()) {
        out.reason = NoAccountReason::NoneConfigured;
        out.message = QStringLiteral("No usable account: none is configured");
        return out;
    }
    int tried = 0, paused = 0, reauth = 0, noCredentials = 0, cooling = 0;
    for (const Entry &entry : m_entries) {
        if (excluded.contains(entry.account.id))
            ++tried;
        else if (entry.account.state == AccountState::Paused)
            ++paused;
        else if (entry.account.state == AccountState::NeedsReauth || entry.runtime.needsReauth)
            ++reauth;
        else if (!entry.account.upstream.isConfigured())
            ++noCredentials;
        else if (const QDateTime until = now.isValid() ? outUntil(entry.runtime, now) : QDateTime(); until.isValid()) {
            ++cooling;
            if (!out.retryAt.isValid() || until < out.retryAt)
                out.retryAt = until;
        }
    }
    const int total = int(m_entries.size());
    if (tried > 0) {
        out.reason = NoAccountReason::AllTried;
        out.message = QStringLiteral("No usable account left to try");
    } else if (cooling > 0) {
        out.reason = NoAccountReason::CoolingDown;
        out.message = QStringLiteral("All usable accounts are rate limited; try again in %1 s")
                          .arg(std::max<qint64>(1, now.secsTo(out.retryAt)));
    } else {
        out.reason = NoAccountReason::NotUsable;
        if (paused == total)
            out.message = QStringLiteral("No usable account: all accounts are paused");
        else if (reauth == total)
            out.message = QStringLiteral("No usable account: all accounts need re-authentication");
        else if (noCredentials == total)
            out.message = QStringLiteral("No usable account: no account has credentials");
        else {
            QStringList parts;
            if (paused)
                parts << QStringLiteral("%1 paused").arg(paused);
            if (reauth)
                parts << QStringLiteral("%1 need re-authentication").arg(reauth);
            if (noCredentials)
                parts << QStringLiteral("%1 without credentials").arg(noCredentials);
            out.message = QStringLiteral("No usable account: ") + parts.join(QStringLiteral(", "));
        }
    }
    return out;
}

AccountSelection AccountPool::firstUsable() const
{
    const Entry *best = nullptr;
    for (const Entry &entry : m_entries)
        if (isUsable(entry) && (!best || entry.account.priority < best->account.priority))
            best = &entry;
    if (best)
        return {best->account, NoAccountReason::None, {}, {}};
    return unavailable({}, QDateTime()); // cooldowns do not matter for the model list
}

bool AccountPool::hasKind(UpstreamConfig::Kind kind) const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [kind](const Entry &entry) { return entry.account.upstream.kind == kind; });
}

std::optional<UpstreamAccount> AccountPool::account(qint64 id) const
{
    const Entry *entry = find(id);
    return entry ? std::optional(entry->account) : std::nullopt;
}

void AccountPool::reportSuccess(qint64 id)
{
    Entry *entry = find(id);
    if (!entry)
        return;
    entry->rateLimitStreak = 0;
    entry->runtime.consecutiveErrors = 0;
    entry->runtime.backoffUntil = QDateTime();
    entry->runtime.lastError.clear();
    changed(id);
}

void AccountPool::reportRateLimited(qint64 id, const QDateTime &resetAt, const QDateTime &now)
{
    Entry *entry = find(id);
    if (!entry)
        return;
    const QDateTime until = resetAt.isValid() && resetAt > now
                                ? resetAt
                                : now.addSecs(backoffSeconds(entry->rateLimitStreak));
    ++entry->rateLimitStreak;
    entry->runtime.cooldownUntil = until;
    entry->runtime.lastError = RateLimitedError;
    changed(id);
}

void AccountPool::reportFailure(qint64 id, const QString &error, const QDateTime &now)
{
    Entry *entry = find(id);
    if (!entry)
        return;
    entry->runtime.lastError = error;
    const int errors = ++entry->runtime.consecutiveErrors;
    if (errors >= ErrorBackoffThreshold)
        entry->runtime.backoffUntil = now.addSecs(backoffSeconds(errors - ErrorBackoffThreshold));
    changed(id);
}

void AccountPool::observeHeaders(qint64 id, const HttpHeaders &headers, const QDateTime &now)
{
    observeQuota(id, QuotaWindows::fromHeaders(headers, now));
}

void AccountPool::observeQuota(qint64 id, const QuotaWindows &windows)
{
    Entry *entry = find(id);
    if (!entry)
        return;
    AccountRuntimeStatus &runtime = entry->runtime;
    const AccountRuntimeStatus before = runtime;
    if (windows.primaryUsedPercent)
        runtime.primaryUsedPercent = *windows.primaryUsedPercent;
    if (windows.secondaryUsedPercent)
        runtime.secondaryUsedPercent = *windows.secondaryUsedPercent;
    if (windows.primaryResetAt.isValid())
        runtime.primaryResetAt = windows.primaryResetAt;
    if (windows.secondaryResetAt.isValid())
        runtime.secondaryResetAt = windows.secondaryResetAt;
    if (!(runtime == before))
        changed(id);
}

void AccountPool::updateToken(qint64 id, const QByteArray &token)
{
    if (Entry *entry = find(id)) {
        entry->account.upstream.token = token;
        forgetCredentialErrors(entry->runtime);
        entry->credentialRefused = false;
        changed(id);
    }
}

void AccountPool::markNeedsReauth(qint64 id)
{
    if (Entry *entry = find(id)) {
        entry->runtime.needsReauth = true;
        entry->runtime.lastError = QStringLiteral("token refresh failed");
        changed(id);
    }
}

void AccountPool::markCredentialRefused(qint64 id, const QString &error)
{
    if (Entry *entry = find(id)) {
        entry->credentialRefused = true;
        entry->runtime.needsReauth = true;
        entry->runtime.lastError = error;
        changed(id);
    }
}

AccountRuntimeStatus AccountPool::status(qint64 id) const
{
    const Entry *entry = find(id);
    return entry ? entry->runtime : AccountRuntimeStatus{};
}

QList<AccountRuntimeStatus> AccountPool::takeStatusChanges()
{
    QList<AccountRuntimeStatus> out;
    for (const Entry &entry : std::as_const(m_entries)) {
        const qint64 id = entry.account.id;
        if (!m_dirty.contains(id))
            continue;
        AccountRuntimeStatus &reported = m_reported[id];
        if (reported.id == 0)
            reported.id = id;
        if (!(reported == entry.runtime)) {
            reported = entry.runtime;
            out.append(entry.runtime);
        }
    }
    m_dirty.clear();
    return out;
}

void AccountPool::changed(qint64 id)
{
    m_dirty.insert(id);
    if (m_notify)
        m_notify();
}

} // namespace Proxy
