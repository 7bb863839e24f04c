// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Proxy {

class HttpExchange;
class UpstreamClient;
class UpstreamExchange;

/// The upstream's model list, fetched on demand and cached (default 5 minutes). Concurrent
/// requests while a fetch is running wait for that one fetch. Lives on the proxy thread.
class ModelsCatalog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelsCatalog)

public:
    enum class Shape { OpenAIList, Native };

    ModelsCatalog(UpstreamClient *client, QObject *parent = nullptr);

    void configure(const ProxyConfig &config);
    /// Answers @p exchange from the cache or after one upstream fetch.
    void serve(HttpExchange *exchange, Shape shape, const HttpHeaders &responseHeaders);

    /// Converts a Codex catalog (`{"models":[{"slug"…}]}`) or an OpenAI list into an OpenAI list.
    static QByteArray toOpenAIList(const QByteArray &upstreamBody);

private:
    struct Waiter
    {
        QPointer<HttpExchange> exchange;
        Shape shape;
        HttpHeaders headers;
    };
    void fetch(const HttpHeaders &clientHeaders);
    void answer(const Waiter &waiter);

    UpstreamClient *m_client;
    ProxyConfig m_config;
    UpstreamExchange *m_fetch = nullptr;
    QByteArray m_fetchBody;
    int m_fetchStatus = 0;
    QByteArray m_body;
    int m_status = 0;
    QDeadlineTimer m_freshUntil;
    QList<Waiter> m_waiters;
};

} // namespace Proxy
