// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/accounts/oauth/OAuthEndpoints.h"

#include <QObject>
#include <QTimer>

namespace Core {

class Database;
class SecretStore;
class TokenRefresher;

/// Keeps ChatGPT account tokens fresh for the running proxy: refreshes an account when the proxy
/// asks (a 401) and shortly before its access token expires, persists the rotated tokens (through
/// AccountService, refresh token first) and reports the outcome. A permanent failure marks the
/// account needs-reauth. Refreshes are single-flight per account (TokenRefresher). Main thread.
class AccountRefresher final : public QObject
{
    Q_OBJECT

public:
    AccountRefresher(Database &database, SecretStore &secrets, OAuthEndpoints endpoints, QObject *parent = nullptr);
    ~AccountRefresher() override;

    void refresh(qint64 accountId);
    /// Refreshes every active ChatGPT account whose access token expires within @p withinSeconds.
    void refreshExpiring(int withinSeconds = 300);
    bool isRefreshing(qint64 accountId) const;

signals:
    void tokenRefreshed(qint64 accountId, const QByteArray &accessToken);
    /// @p permanent: the account was marked needs-reauth (the pool must be reloaded).
    void refreshFailed(qint64 accountId, const QString &message, bool permanent);

private:
    Database &m_database;
    SecretStore &m_secrets;
    TokenRefresher *m_refresher = nullptr;
    QTimer m_schedule;
};

} // namespace Core
