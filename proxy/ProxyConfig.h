// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QMetaType>
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

/// Limits of the HTTP front end; defaults are what `serve` uses.
struct HttpLimits final
{
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    qint64 maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 100;
    int headerTimeoutMs = 10'000;   ///< the whole head (and body) of a request must arrive in this time
    int idleTimeoutMs = 75'000;     ///< keep-alive idle, never while a response is streaming
    int maxConnections = 4096;      ///< capped again below RLIMIT_NOFILE at start
};

/// Timeouts of the upstream side.
struct UpstreamTimeouts final
{
    int connectMs = 10'000;
    int firstByteMs = 300'000;  ///< no response head by then → 504
    int idleMs = 300'000;       ///< no byte for this long mid-stream → response.failed
};

/// Everything the proxy thread needs, copied in as one value.
struct ProxyConfig final
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 2455;
    bool requireKey = true;
    HttpLimits limits;
    UpstreamTimeouts timeouts;
    UpstreamConfig upstream;
    int modelsCacheSeconds = 300;
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::ProxyConfig)
