// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/accounts/AccountTokens.h"
#include "app/core/accounts/oauth/OAuthEndpoints.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>

namespace Core {

class TokenClient;

/// The outcome of one refresh, as every joined caller sees it.
struct RefreshOutcome final
{
    bool ok = false;
    AccountTokens tokens;   ///< the new tokens (ok only); idToken/claims empty = unchanged
    QString message;        ///< why it failed (never contains a token)
    bool permanent = false; ///< the refresh token is dead: the account needs a new login
};

/// Refreshes ChatGPT account tokens, SINGLE-FLIGHT per account: refresh tokens rotate and are
/// single use (reference pitfall 17), so a second refresh of an account while one is running joins
/// it — one HTTP request, every caller gets the same outcome. A new refresh token is persisted
/// through the persist callback BEFORE anyone learns of it (refreshed(), the callbacks).
/// Lives on the main thread (the persist callback typically writes the keychain, which is
/// main-thread only).
class TokenRefresher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenRefresher)

public:
    /// Stores the new tokens of an account; false when they could not be saved.
    using PersistFn = std::function<bool(qint64 accountId, const AccountTokens &tokens)>;
    using Callback = std::function<void(const Core::RefreshOutcome &)>;

    TokenRefresher(OAuthEndpoints endpoints, PersistFn persist, QObject *parent = nullptr);
    ~TokenRefresher() override;

    /// Refreshes @p accountId with @p refreshToken, or joins the refresh of that account already
    /// running (then @p refreshToken is not used). @p done (optional) runs once with the outcome,
    /// after refreshed()/refreshFailed(). Never completes synchronously.
    void refresh(qint64 accountId, const QString &refreshToken, Callback done = {});
    bool isRefreshing(qint64 accountId) const { return m_running.contains(accountId); }
    int runningCount() const { return int(m_running.size()); }
    /// Per-request time limit (default TokenClient::RefreshTimeoutMs, 8 s).
    void setTimeoutMs(int timeoutMs);

signals:
    /// The new tokens are persisted; use them from now on.
    void refreshed(qint64 accountId, const Core::AccountTokens &tokens);
    /// @p permanent: the grant is dead (mark the account needs-reauth); otherwise try again later.
    void refreshFailed(qint64 accountId, const QString &message, bool permanent);

private:
    void complete(qint64 accountId, const RefreshOutcome &outcome);

    PersistFn m_persist;
    TokenClient *m_client;
    QHash<qint64, QList<Callback>> m_running; ///< account → callers waiting for its refresh
};

} // namespace Core
