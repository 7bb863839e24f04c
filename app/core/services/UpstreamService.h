// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/UpstreamRepository.h"

#include "proxy/ProxyConfig.h"

namespace Core {

class Database;
class SecretStore;

/// What `upstream show` displays: never the token, only whether one is stored.
struct UpstreamInfo final
{
    bool configured = false; ///< a row exists
    UpstreamRow row;
    bool tokenStored = false;
    bool refreshTokenStored = false;
    QString secretProblem; ///< set when the secret store could not be asked (e.g. keychain unavailable)
};

/// The upstream row plus its tokens in the secret store (`upstream/token`,
/// `upstream/refresh-token`). Main thread only.
class UpstreamService final
{
    Q_DISABLE_COPY_MOVE(UpstreamService)

public:
    UpstreamService(Database &database, SecretStore &secrets);

    /// @p kind codex or openai; @p baseUrl http(s) with a host; @p token non-empty.
    Status set(Proxy::UpstreamConfig::Kind kind, const QUrl &baseUrl, const QString &accountId,
               const QByteArray &token);
    /// Reads Codex CLI's auth.json (`tokens.access_token`, `tokens.refresh_token`,
    /// `tokens.account_id`); empty @p path means ~/.codex/auth.json.
    Status importCodexAuth(const QString &path = {});
    Result<UpstreamInfo> show() const;
    /// The configuration with its token; kind None when nothing is set.
    Result<Proxy::UpstreamConfig> load() const;

    static QString defaultCodexAuthPath();
    static QUrl codexBaseUrl() { return QUrl(QStringLiteral("https://chatgpt.com/backend-api")); }

private:
    Database &m_database;
    SecretStore &m_secrets;
};

} // namespace Core
