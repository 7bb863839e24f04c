// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/TokenRefresher.h"

#include "app/core/accounts/oauth/OAuthLog.h"
#include "app/core/accounts/oauth/TokenClient.h"

namespace Core {

TokenRefresher::TokenRefresher(OAuthEndpoints endpoints, PersistFn persist, QObject *parent)
    : QObject(parent), m_persist(std::move(persist)), m_client(new TokenClient(std::move(endpoints), this))
{
    Q_ASSERT(m_persist);
}

TokenRefresher::~TokenRefresher() = default;

void TokenRefresher::setTimeoutMs(int timeoutMs)
{
    m_client->setRefreshTimeoutMs(timeoutMs);
}

void TokenRefresher::refresh(qint64 accountId, const QString &refreshToken, Callback done)
{
    if (auto it = m_running.find(accountId); it != m_running.end()) {
        // Join: a second request would present the same single-use token again and get
        // refresh_token_reused, or spend the token the first request just rotated.
        it->append(std::move(done));
        qCDebug(lcOAuth) << "refresh of account" << accountId << "joined the running one";
        return;
    }
    m_running.insert(accountId, {std::move(done)});
    qCInfo(lcOAuth) << "refreshing the tokens of account" << accountId;
    m_client->refresh(refreshToken, [this, accountId](const TokenResult &result) {
        RefreshOutcome outcome;
        if (!result.ok()) {
            outcome.message = result.error->message;
            outcome.permanent = result.error->isPermanent();
        } else if (!m_persist(accountId, result.tokens)) {
            // The server has now spent the old refresh token, and the store still holds it. We do
            // NOT publish the new tokens: memory and store would disagree, the proxy would run on
            // an access token whose refresh token is lost with the next restart (or read by the
            // next process from the store), and the loss would surface hours later as
            // refresh_token_reused, far from its cause. Failing here reports it where it happened;
            // callers keep the old tokens and the next refresh shows whether a login is needed.
            outcome.message = QStringLiteral("the refreshed tokens could not be saved to the secret store; "
                                             "the account may need a new login");
            outcome.permanent = false;
        } else {
            outcome.ok = true;
            outcome.tokens = result.tokens;
        }
        complete(accountId, outcome);
    });
}

void TokenRefresher::complete(qint64 accountId, const RefreshOutcome &outcome)
{
    // Taken out before anyone is told, so a slot that refreshes again starts a new request.
    const QList<Callback> waiters = m_running.take(accountId);
    if (outcome.ok) {
        qCInfo(lcOAuth) << "refreshed the tokens of account" << accountId;
        emit refreshed(accountId, outcome.tokens);
    } else {
        qCInfo(lcOAuth) << "refresh of account" << accountId << "failed:" << outcome.message
                        << (outcome.permanent ? "(needs a new login)" : "(will retry)");
        emit refreshFailed(accountId, outcome.message, outcome.permanent);
    }
    for (const Callback &done : waiters)
        if (done)
            done(outcome);
}

} // namespace Core
