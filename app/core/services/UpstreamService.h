// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/AccountRecord.h"

#include "proxy/ProxyConfig.h"

#include <QDateTime>
#include <QUrl>

#include <optional>

namespace Core {

class Database;
class SecretStore;

/// The single-upstream view of one account.
struct UpstreamRow final
{
    QString name; ///< the account's name
    Proxy::UpstreamConfig::Kind kind = Proxy::UpstreamConfig::Kind::None;
    QUrl baseUrl;
    QString accountId;
    QDateTime updatedAt;
};

/// What `upstream show` displays: never the token, only whether one is stored.
struct UpstreamInfo final
{
    bool configured = false; ///< a row exists
    UpstreamRow row;
    bool tokenStored = false;
    bool refreshTokenStored = false;
    QString secretProblem; ///< set when the secret store could not be asked (e.g. keychain unavailable)
};

/// The single upstream of earlier versions, kept for `keygate upstream …` and the Upstream page, as a
/// view of one account of the pool: the one named (by name or id) when constructed with @p account,
/// else the account named "default", else the first in routing order. show(), set(), import and
/// load() all act on that same account, so what is shown is what is edited. With no account at all,
/// set() creates "default" (its tokens under `upstream/token` and `upstream/refresh-token`, where
/// earlier versions kept them); a named account must exist. The pool is AccountService's.
/// Main thread only.
class UpstreamService final
{
    Q_DISABLE_COPY_MOVE(UpstreamService)

public:
    UpstreamService(Database &database, SecretStore &secrets, QString account = {});

    /// @p kind codex or openai; @p baseUrl http(s) with a host; @p token non-empty.
    Status set(Proxy::UpstreamConfig::Kind kind, const QUrl &baseUrl, const QString &accountId,
               const QByteArray &token);
    /// Reads Codex CLI's auth.json (`tokens.access_token`, `tokens.refresh_token`,
    /// `tokens.account_id`); empty @p path means ~/.codex/auth.json.
    Status importCodexAuth(const QString &path = {});
    Result<UpstreamInfo> show() const;
    /// The configuration of the account this view stands for, with its token; kind None when there is none.
    Result<Proxy::UpstreamConfig> load() const;
    /// Where the token of the account this view shows lives in the secret store.
    QString tokenSecretName() const;

    static QString defaultCodexAuthPath();
    static QUrl codexBaseUrl() { return QUrl(QStringLiteral("https://chatgpt.com/backend-api")); }

    /// The account this view stands for (see the class comment); nullopt when the pool is empty and
    /// no account was named, an error when the named one does not exist.
    Result<std::optional<AccountRecord>> shownAccount() const;

private:
    Database &m_database;
    SecretStore &m_secrets;
    QString m_account; ///< name or id; empty = "default", else the first
};

} // namespace Core
