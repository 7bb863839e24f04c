// SPDX-License-Identifier: MIT
#include "proxy/relay/ModelsCatalog.h"

#include "proxy/http/HttpExchange.h"
#include "proxy/relay/UpstreamFailure.h"
#include "proxy/relay/UpstreamRequestBuilder.h"
#include "proxy/upstream/UpstreamClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

namespace {

constexpr qsizetype MaxCatalogBytes = 8 * 1024 * 1024;

} // namespace

ModelsCatalog::ModelsCatalog(UpstreamClient *client, QObject *parent) : QObject(parent), m_client(client) {}

void ModelsCatalog::configure(const ProxyConfig &config)
{
    m_timeouts = config.timeouts;
    m_cacheSeconds = config.modelsCacheSeconds;
}

QByteArray ModelsCatalog::toOpenAIList(const QByteArray &upstreamBody)
{
    const QJsonObject root = QJsonDocument::fromJson(upstreamBody).object();
    QJsonArray data;
    if (root.value(u"data").isArray()) {
        data = root.value(u"data").toArray();
    } else {
        for (const QJsonValue &model : root.value(u"models").toArray()) {
            const QJsonObject entry = model.toObject();
            const QString id = entry.value(u"slug").toString(entry.value(u"id").toString());
            if (id.isEmpty())
                continue;
            data.append(QJsonObject{{QStringLiteral("id"), id},
                                    {QStringLiteral("object"), QStringLiteral("model")},
                                    {QStringLiteral("created"), 0},
                                    {QStringLiteral("owned_by"), QStringLiteral("keygate")}});
        }
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

QByteArray ModelsCatalog::onlyAllowed(const QByteArray &body, const QStringList &allowed)
{
    QJsonObject root = QJsonDocument::fromJson(body).object();
    for (const QString &list : {QStringLiteral("data"), QStringLiteral("models")}) {
        if (!root.value(list).isArray())
            continue;
        QJsonArray kept;
        for (const QJsonValue &model : root.value(list).toArray()) {
            const QJsonObject entry = model.toObject();
            if (allowed.contains(entry.value(u"slug").toString(entry.value(u"id").toString())))
                kept.append(entry);
        }
        root.insert(list, kept);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

void ModelsCatalog::serve(HttpExchange *exchange, Shape shape, const HttpHeaders &responseHeaders,
                          const UpstreamAccount &account, const QStringList &allowedModels)
{
    const UpstreamConfig &upstream = account.upstream;
    if (upstream.kind != m_source.kind || upstream.baseUrl != m_source.baseUrl || upstream.token != m_source.token) {
        m_source = upstream;
        m_freshUntil = QDeadlineTimer(); // expired: refetch from the new account
    }
    const Waiter waiter{exchange, shape, responseHeaders, allowedModels};
    if (!m_freshUntil.hasExpired() && m_status != 0) {
        answer(waiter);
        return;
    }
    m_waiters.append(waiter);
    if (!m_fetch)
        fetch(exchange->request().headers, upstream);
}

void ModelsCatalog::fetch(const HttpHeaders &clientHeaders, const UpstreamConfig &upstream)
{
    const UpstreamRequest request = UpstreamRequestBuilder(upstream).models(clientHeaders);
    m_fetch = m_client->send(request, m_timeouts, this);
    m_fetchBody.clear();
    m_fetchStatus = 0;
    const auto done = [this](int status, const QByteArray &body) {
        disconnect(m_fetch, nullptr, this, nullptr);
        m_fetch->abort(); // no-op when it ended
        m_fetch->deleteLater();
        m_fetch = nullptr;
        m_status = status;
        m_body = body;
        m_freshUntil = QDeadlineTimer(status == 200 ? m_cacheSeconds * 1000LL : 0);
        const QList<Waiter> waiters = std::exchange(m_waiters, {});
        for (const Waiter &waiter : waiters)
            answer(waiter);
    };
    connect(m_fetch, &UpstreamExchange::headReceived, this, [this, done](int status, const HttpHeaders &headers) {
        m_fetchStatus = status;
        if (const std::optional<UpstreamFailure> refusal = UpstreamFailure::refusedHead(status, headers))
            done(refusal->status, refusal->body());
    });
    connect(m_fetch, &UpstreamExchange::bodyReceived, this, [this](const QByteArray &data) {
        if (m_fetchBody.size() + data.size() <= MaxCatalogBytes)
            m_fetchBody.append(data);
    });
    connect(m_fetch, &UpstreamExchange::finished, this, [this, done] { done(m_fetchStatus, m_fetchBody); });
    connect(m_fetch, &UpstreamExchange::failed, this, [done](const UpstreamError &error) {
        UpstreamFailure failure = UpstreamFailure::fromError(error);
        failure.message = QStringLiteral("The upstream model list could not be fetched: ") + error.message;
        done(failure.status, failure.body());
    });
}

void ModelsCatalog::answer(const Waiter &waiter)
{
    if (!waiter.exchange)
        return;
    HttpHeaders headers = waiter.headers;
    headers.set("Content-Type", "application/json");
    const bool convert = m_status == 200 && waiter.shape == Shape::OpenAIList;
    QByteArray body = convert ? toOpenAIList(m_body) : m_body;
    if (m_status == 200 && !waiter.allowedModels.isEmpty())
        body = onlyAllowed(body, waiter.allowedModels);
    waiter.exchange->respond(m_status, headers, body);
}

} // namespace Proxy
