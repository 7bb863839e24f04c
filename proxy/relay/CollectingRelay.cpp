// SPDX-License-Identifier: MIT
#include "proxy/relay/CollectingRelay.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/http/HttpExchange.h"
#include "proxy/relay/ResponseUsage.h"
#include "proxy/relay/UpstreamErrorEnvelope.h"
#include "proxy/relay/UpstreamRequestBuilder.h"
#include "proxy/relay/UsageEstimate.h"

#include <QJsonDocument>
#include <QTimer>

namespace Proxy {

CollectingRelay::CollectingRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock,
                           HttpHeaders responseHeaders, RecordSink sink)
    : QObject(exchange)
    , m_exchange(exchange)
    , m_record(std::move(record))
    , m_clock(clock)
    , m_responseHeaders(std::move(responseHeaders))
    , m_sink(std::move(sink))
{
    if (exchange)
        connect(exchange, &HttpExchange::closed, this, &CollectingRelay::onClientClosed);
}

CollectingRelay::~CollectingRelay()
{
    if (m_draining && !m_done) {
        m_drain.owner = nullptr; // being deleted already
        endDrain();
    }
}

void CollectingRelay::adopt(UpstreamExchange *upstream, int status, const HttpHeaders &headers)
{
    m_upstream = upstream;
    m_upstream->setParent(this);
    m_upstreamStatus = status;
    m_upstreamHeaders = headers;
    m_isEventStream = headers.value("content-type").startsWith("text/event-stream");
    connect(m_upstream, &UpstreamExchange::bodyReceived, this, &CollectingRelay::onBody);
    connect(m_upstream, &UpstreamExchange::finished, this, &CollectingRelay::onFinished);
    connect(m_upstream, &UpstreamExchange::failed, this, &CollectingRelay::onFailed);
    if (!m_exchange) // the client left before the head came: read on for the usage
        onClientClosed();
}

void CollectingRelay::onBody(const QByteArray &data)
{
    if (m_done)
        return;
    if (m_isEventStream) {
        m_reader.feed(data);
        if (m_reader.terminalSeen()) // the Codex backend may keep the stream open a moment longer
            answerFromStream();
        return;
    }
    if (m_plainBody.size() + data.size() > MaxPlainBodyBytes) {
        fail(QStringLiteral("upstream_response_too_large"), QStringLiteral("The upstream answer is too large"),
             QStringLiteral("upstream_error"));
        return;
    }
    m_plainBody.append(data);
}

void CollectingRelay::onFinished()
{
    if (m_done)
        return;
    if (m_isEventStream)
        answerFromStream();
    else
        answerPlain();
}

void CollectingRelay::onFailed(const UpstreamError &error)
{
    if (m_done)
        return;
    if (m_isEventStream && m_reader.terminalSeen()) {
        answerFromStream();
        return;
    }
    failUnfinished(QStringLiteral("Upstream stream failed: ") + error.message);
}

void CollectingRelay::failUnfinished(const QString &message)
{
    UsageEstimate::chargeUpstreamFailed(m_record, m_drain.requestBytes);
    fail(QStringLiteral("stream_incomplete"), message, QStringLiteral("upstream_error"));
}

void CollectingRelay::answerFromStream()
{
    if (!m_reader.terminalSeen()) {
        failUnfinished(QStringLiteral("Upstream closed the stream before response.completed"));
        return;
    }
    const QByteArray body = QJsonDocument(m_reader.response()).toJson(QJsonDocument::Compact);
    const ResponseUsage result = ResponseUsage::fromResponseJson(body);
    m_record.usage = result.usage;
    m_record.responseId = result.responseId;
    if (!result.model.isEmpty())
        m_record.model = result.model;
    if (!m_reader.succeeded()) {
        const QJsonObject error = m_reader.error();
        const QString code = error.value(u"code").toString(QStringLiteral("upstream_error"));
        fail(code.isEmpty() ? QStringLiteral("upstream_error") : code,
             error.value(u"message").toString(QStringLiteral("The response failed upstream")),
             QStringLiteral("upstream_error"));
        return;
    }
    HttpHeaders headers = m_responseHeaders;
    headers.set("Content-Type", "application/json");
    respond(200, headers, body,
            m_reader.terminalType() == u"response.incomplete" ? QStringLiteral("incomplete") : QStringLiteral("ok"));
}

void CollectingRelay::answerPlain()
{
    if (m_upstreamStatus < 300) {
        const ResponseUsage result = ResponseUsage::fromResponseJson(m_plainBody);
        m_record.usage = result.usage;
        m_record.responseId = result.responseId;
        if (!result.model.isEmpty())
            m_record.model = result.model;
    }
    HttpHeaders headers = UpstreamRequestBuilder::returnableHeaders(m_upstreamHeaders);
    for (const auto &[name, value] : m_responseHeaders.fields())
        headers.set(name, value);
    if (m_upstreamStatus >= 400) { // the reason, in the envelope, as on every other route
        const QByteArrayList secrets =
            m_exchange ? UpstreamErrorEnvelope::clientCredentials(m_exchange->request().headers) : QByteArrayList();
        respond(m_upstreamStatus, UpstreamErrorEnvelope::headers(headers),
                UpstreamErrorEnvelope(m_upstreamStatus, m_plainBody, secrets).body(), QStringLiteral("upstream_error"));
        return;
    }
    respond(m_upstreamStatus, headers, m_plainBody, QStringLiteral("ok"));
}

void CollectingRelay::fail(const QString &code, const QString &message, const QString &outcome)
{
    HttpHeaders headers = m_responseHeaders;
    headers.set("Content-Type", "application/json");
    respond(502, headers, errorEnvelope(message, QStringLiteral("server_error"), code), outcome);
}

void CollectingRelay::respond(int status, const HttpHeaders &headers, const QByteArray &body, const QString &outcome)
{
    if (m_upstream) {
        disconnect(m_upstream, nullptr, this, nullptr);
        m_upstream->abort(); // no-op when it already ended
    }
    if (!m_exchange) {
        endDrain();
        return;
    }
    m_done = true;
    m_record.status = status;
    m_record.ttfbMs = m_clock.elapsed();
    m_record.bytesOut = body.size();
    m_record.outcome = outcome;
    m_record.latencyMs = m_clock.elapsed();
    m_exchange->holdOutput(); // the answer waits until its record is safe
    m_sink(m_record, [exchange = m_exchange] {
        if (exchange)
            exchange->releaseOutput();
    });
    m_exchange->respond(status, headers, body);
}

void CollectingRelay::onClientClosed()
{
    m_exchange.clear();
    if (m_done)
        return;
    m_draining = true;
    if (!m_upstream || !m_drain.owner) {
        if (m_upstream) {
            disconnect(m_upstream, nullptr, this, nullptr);
            m_upstream->abort();
        }
        endDrain();
        return;
    }
    setParent(m_drain.owner); // the exchange is about to be deleted, and its children with it
    QTimer::singleShot(m_drain.ms, this, [this] {
        disconnect(m_upstream, nullptr, this, nullptr);
        m_upstream->abort();
        endDrain();
    });
}

void CollectingRelay::endDrain()
{
    if (m_done)
        return;
    m_done = true;
    UsageEstimate::chargeClientClosed(m_record, m_drain.requestBytes);
    m_record.latencyMs = m_clock.elapsed();
    m_sink(m_record, {});
    if (m_drain.owner && parent() == m_drain.owner)
        deleteLater();
}

} // namespace Proxy
