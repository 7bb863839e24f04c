// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

namespace Proxy {

class HttpExchange;
class UpstreamClient;
class UpstreamExchange;

/// The model list of an upstream account (the proxy passes the first usable one), fetched on demand
/// and cached (default 5 minutes); another account or credential refetches. Concurrent requests
/// while a fetch is running wait for that one fetch. Lives on the proxy thread.
class ModelsCatalog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelsCatalog)

public:
    enum class Shape { OpenAIList, Native };

    ModelsCatalog(UpstreamClient *client, QObject *parent = nullptr);

    void configure(const ProxyConfig &config);
    /// Answers @p exchange from the cache or after one fetch from @p account, listing only
    /// @p allowedModels when that is not empty (a key's model allowlist).
    void serve(HttpExchange *exchange, Shape shape, const HttpHeaders &responseHeaders,
               const UpstreamAccount &account, const QStringList &allowedModels = {});

    /// Converts a Codex catalog (`{"models":[{"slug"…}]}`) or an OpenAI list into an OpenAI list.
    static QByteArray toOpenAIList(const QByteArray &upstreamBody);
    /// Drops the entries of either shape whose id/slug is not in @p allowed.
    static QByteArray onlyAllowed(const QByteArray &body, const QStringList &allowed);

private:
    struct Waiter
    {
        QPointer<HttpExchange> exchange;
        Shape shape;
        HttpHeaders headers;
        QStringList allowedModels;
    };
    void fetch(const HttpHeaders &clientHeaders, const UpstreamConfig &upstream);
    void answer(const Waiter &waiter);

    UpstreamClient *m_client;
    UpstreamTimeouts m_timeouts;
    int m_cacheSeconds = 300;
    UpstreamConfig m_source; ///< where the cached list came from
    UpstreamExchange *m_fetch = nullptr;
    QByteArray m_fetchBody;
    int m_fetchStatus = 0;
    QByteArray m_body;
    int m_status = 0;
    QDeadlineTimer m_freshUntil;
    QList<Waiter> m_waiters;
};

} // namespace Proxy
