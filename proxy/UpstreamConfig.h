// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
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
    /// CAs trusted besides the system's for this upstream (a company CA); empty = system CAs only.
    QList<QSslCertificate> caCertificates;

    bool isConfigured() const { return kind != Kind::None && baseUrl.isValid() && !token.isEmpty(); }
    static QString kindName(Kind kind);
    static Kind kindFromName(const QString &name, bool *ok = nullptr);
};

} // namespace Proxy
