// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/accounts/AccountTokens.h"
#include "app/core/storage/AccountRecord.h"

#include "proxy/routing/UpstreamAccount.h"

#include <QList>

namespace Core {

class Database;
class SecretStore;

/// An account with what the secret store knows about it (never the tokens themselves).
struct AccountInfo final
{
    AccountRecord record;
    bool tokenStored = false;
    bool refreshTokenStored = false;
    QString secretProblem; ///< set when the secret store could not be asked
};

/// The upstream account pool: `accounts` rows plus their tokens in the secret store, kept
/// consistent. Used by the CLI, the console and the runtime. Main thread only (secret store).
class AccountService final
{
    Q_DISABLE_COPY_MOVE(AccountService)

public:
    AccountService(Database &database, SecretStore &secrets);

    /// An OpenAI-compatible account with an API key. @p name defaults to the base URL's host.
    /// @p caCertificatesPem: extra CAs its https connections trust besides the system's (a company CA;
    /// CaCertificateFile::read), empty for none.
    Result<AccountRecord> addOpenAI(const QString &name, const QUrl &baseUrl, const QByteArray &apiKey,
                                    const QByteArray &caCertificatesPem = {});
    /// Replaces the extra CAs of an OpenAI-compatible https account (empty: system CAs only).
    Result<AccountRecord> setCaCertificates(const QString &nameOrId, const QByteArray &caCertificatesPem);
    /// A ChatGPT login, refresh or import: the account with the same ChatGPT account id and email is
    /// updated (and made active again), otherwise a new one is added, named @p name, else the email.
    /// A non-empty @p baseUrl replaces the backend's (a new account gets chatGptBaseUrl() otherwise).
    Result<AccountRecord> saveChatGptLogin(const AccountTokens &tokens, const QString &name = {},
                                           const QUrl &baseUrl = {});
    /// Codex CLI's auth.json (`tokens.{access_token,refresh_token,id_token,account_id}`, camelCase too).
    /// @p baseUrl as for saveChatGptLogin (a stand-in backend, e.g. a test's fake).
    Result<AccountRecord> importCodexAuth(const QString &path = {}, const QString &name = {},
                                          const QUrl &baseUrl = {});
    /// Replaces the access token (API key); an account that needed re-auth becomes active again.
    Result<AccountRecord> setToken(const QString &nameOrId, const QByteArray &token);
    Result<AccountRecord> setPaused(const QString &nameOrId, bool paused);
    /// Deletes the row and its secrets.
    Status remove(const QString &nameOrId);

    Result<QList<AccountInfo>> list() const;
    /// A number is tried as an id first, then as a name.
    Result<AccountRecord> find(const QString &nameOrId) const;
    /// Every account with its access token for the proxy, in routing order. An account whose token
    /// cannot be read is passed on without one (the proxy skips it) — one broken entry must not stop the pool.
    Result<QList<Proxy::UpstreamAccount>> loadPool() const;
    /// Persists refreshed tokens, the refresh token first (it rotates: the old one is spent).
    Status storeRefreshedTokens(qint64 id, const AccountTokens &tokens);
    Status markNeedsReauth(qint64 id, const QString &reason);

    static QUrl chatGptBaseUrl() { return QUrl(QStringLiteral("https://chatgpt.com/backend-api")); }
    static QString defaultCodexAuthPath();
    static Result<QString> validateName(const QString &name);
    /// Reads a Codex CLI auth.json into tokens (claims from its id token).
    static Result<AccountTokens> readCodexAuth(const QString &path);

private:
    Status writeTokens(const AccountRecord &record, const AccountTokens &tokens);

    Database &m_database;
    SecretStore &m_secrets;
};

} // namespace Core
