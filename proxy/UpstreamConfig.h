// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace Proxy {

/// Where requests go and with which credential. The token is held in memory only.
struct UpstreamConfig final
{
    enum class Kind { None, Codex, OpenAI };
    Kind kind = Kind::None;
    QUrl baseUrl;        ///< codex: https://chatgpt.com/backend-api ; openai: https://api.openai.com/v1
    QString accountId;   ///< codex only: sent as chatgpt-account-id
    QByteArray token;    ///< access token / API key, from the secret store

    bool isConfigured() const { return kind != Kind::None && baseUrl.isValid() && !token.isEmpty(); }
    static QString kindName(Kind kind);
    static Kind kindFromName(const QString &name, bool *ok = nullptr);
};

} // namespace Proxy
