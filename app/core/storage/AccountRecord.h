// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace Core {

/// One row of `accounts`: an upstream account without its tokens, which live in the secret store
/// under the account's secret prefix (see the *SecretName() functions).
struct AccountRecord final
{
    static constexpr auto ChatGpt = "chatgpt";
    static constexpr auto OpenAI = "openai";

    qint64 id = 0;
    QString name;
    QString kind; ///< "chatgpt" (Codex backend, OAuth tokens) or "openai" (API key, OpenAI-compatible base URL)
    QUrl baseUrl;
    QString chatgptAccountId;
    QString email;
    QString planType;
    Proxy::AccountState state = Proxy::AccountState::Active;
    QString stateReason; ///< why it needs re-auth (shown to the user)
    int priority = 0;    ///< lower first
    QString secretPrefix; ///< "account/<id>", or "upstream" for the account migrated from the single upstream
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastRefreshAt;
    QDateTime accessExpiresAt;
    QByteArray caCertificatesPem; ///< extra CAs for its TLS connections (PEM certificates only); empty = system CAs

    bool isChatGpt() const { return kind == QLatin1String(ChatGpt); }
    Proxy::UpstreamConfig::Kind upstreamKind() const;
    QString accessSecretName() const;
    QString refreshSecretName() const;
    QString idTokenSecretName() const;
};

} // namespace Core
