// SPDX-License-Identifier: MIT
#include "proxy/relay/ResponsesRelay.h"

#include "proxy/http/HttpExchange.h"
#include "proxy/relay/OpenAiSseContract.h"
#include "proxy/relay/UpstreamErrorEnvelope.h"
#include "proxy/relay/UpstreamErrorTransform.h"
#include "proxy/relay/UpstreamRequestBuilder.h"
#include "proxy/relay/UsageEstimate.h"

#include <QTimer>

namespace Proxy {

namespace {

constexpr qint64 HighWaterBytes = 256 * 1024;
constexpr qsizetype MaxJsonUsageBytes = 16 * 1024 * 1024;

} // namespace

ResponsesRelay::ResponsesRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock,
                               HttpHeaders responseHeaders, RecordSink sink)
    : QObject(exchange)
    , m_exchange(exchange)
    , m_record(std::move(record))
    , m_clock(clock)
    , m_responseHeaders(std::move(responseHeaders))
    , m_sink(std::move(sink))
{
    if (!exchange)
        return;
    connect(exchange, &HttpExchange::closed, this, &ResponsesRelay::onClientClosed);
    connect(exchange, &HttpExchange::drained, this, [this] {
        if (m_paused && m_upstream) {
            m_paused = false;
            m_upstream->resume();
        }
    });
}

ResponsesRelay::~ResponsesRelay()
{
    if (m_draining && !m_recorded) {
        m_drain.owner = nullptr; // being deleted already
        endDrain();
    }
}

void ResponsesRelay::adopt(UpstreamExchange *upstream, int status, const HttpHeaders &headers)
{
    m_upstream = upstream;
    m_upstream->setParent(this);
    connect(m_upstream, &UpstreamExchange::bodyReceived, this, &ResponsesRelay::onBody);
    connect(m_upstream, &UpstreamExchange::finished, this, &ResponsesRelay::onFinished);
    connect(m_upstream, &UpstreamExchange::failed, this, &ResponsesRelay::onFailed);
    onHead(status, headers);
    if (!m_exchange)
        startDrain();
}

void ResponsesRelay::onHead(int status, const HttpHeaders &headers)
{
    m_upstreamStatus = status;
    m_record.status = status;
    m_isEventStream = headers.value("content-type").startsWith("text/event-stream");
    if (!m_exchange)
        return;
    if (status >= 400) { // a refusal: the client gets its reason as an OpenAI error, whatever it speaks
        m_isEventStream = false;
        m_transform = std::make_unique<UpstreamErrorTransform>(
            UpstreamErrorEnvelope::clientCredentials(m_exchange->request().headers));
    }
    HttpHeaders out = UpstreamRequestBuilder::returnableHeaders(headers);
    for (const auto &[name, value] : m_responseHeaders.fields())
        out.set(name, value);
    if (m_isEventStream) {
        out.set("Cache-Control", "no-cache, no-transform");
        out.set("X-Accel-Buffering", "no");
    }
    if (m_transform) {
        m_transform->begin(*m_exchange, status, headers, std::move(out));
        m_record.status = m_transform->clientStatus();
        return;
    }
    m_exchange->beginStream(status, out);
}

void ResponsesRelay::onBody(const QByteArray &data)
{
    if (!m_exchange && !m_draining)
        return;
    if (data.isEmpty())
        return;
    if (!m_record.ttfbMs)
        m_record.ttfbMs = m_clock.elapsed();
    if (m_isEventStream) {
        // Parsed before it is written: the chunk that completes the response waits for the record.
        const bool terminal = m_sse.feed(data);
        if (terminal && m_exchange)
            m_exchange->holdOutput();
        if (m_exchange)
            write(data);
        if (terminal)
            onTerminalEvent();
    } else {
        if (!m_jsonTooLarge) {
            m_jsonTooLarge = m_jsonBody.size() + data.size() > MaxJsonUsageBytes;
            if (m_jsonTooLarge)
                m_jsonBody.clear();
            else
                m_jsonBody.append(data);
        }
        if (m_exchange)
            write(std::exchange(m_tail, data));
    }
    if (m_exchange && m_upstream && !m_paused && m_exchange->pendingBytes() > HighWaterBytes) {
        m_paused = true;
        m_upstream->pause();
    }
}

void ResponsesRelay::write(const QByteArray &data)
{
    if (data.isEmpty())
        return;
    if (m_transform) {
        m_record.bytesOut += m_transform->write(*m_exchange, data);
    } else {
        m_exchange->writeChunk(data);
        m_record.bytesOut += data.size();
    }
}

void ResponsesRelay::onTerminalEvent()
{
    const ResponseUsage &result = m_sse.result();
    m_record.usage = result.usage;
    m_record.responseId = result.responseId;
    // The requested model stays: limits, allowlists and filters name it. The answer's only fills a gap.
    if (m_record.model.isEmpty())
        m_record.model = result.model;
    if (m_draining) {
        abortUpstream(); // the usage is all a departed client's request still needs
        endDrain();
        return;
    }
    const QString type = m_sse.terminalType();
    if (type == u"response.completed" || type == u"response.done")
        record(QStringLiteral("ok"));
    else if (type == u"response.incomplete")
        record(QStringLiteral("incomplete"));
    else
        record(QStringLiteral("upstream_error"));
}

void ResponsesRelay::onFinished()
{
    m_upstream = nullptr; // it ended; its object goes with us
    if (!m_isEventStream && !m_recorded && m_upstreamStatus < 300 && !m_jsonTooLarge) {
        const ResponseUsage result = ResponseUsage::fromResponseJson(m_jsonBody);
        m_record.usage = result.usage;
        m_record.responseId = result.responseId;
        if (m_record.model.isEmpty())
            m_record.model = result.model;
    }
    if (m_draining) {
        endDrain();
        return;
    }
    if (!m_exchange)
        return;
    if (m_isEventStream && !m_sse.terminalSeen() && m_upstreamStatus < 300) {
        failStream(QStringLiteral("stream_incomplete"),
                   QStringLiteral("Upstream closed the stream before response.completed"));
        return;
    }
    if (!m_isEventStream && !m_recorded) {
        m_exchange->holdOutput(); // the last bytes complete the response: they wait for the record
        write(std::exchange(m_tail, {}));
        record(m_upstreamStatus < 400 ? QStringLiteral("ok") : QStringLiteral("upstream_error"));
    }
    if (m_transform)
        m_record.bytesOut += m_transform->end(*m_exchange);
    else
        m_exchange->endStream();
}

void ResponsesRelay::onFailed(const UpstreamError &error)
{
    m_upstream = nullptr;
    if (m_draining) {
        endDrain();
        return;
    }
    if (!m_exchange)
        return;
    if (m_isEventStream && !m_sse.terminalSeen()) {
        failStream(QStringLiteral("stream_incomplete"), QStringLiteral("Upstream stream failed: ") + error.message);
        return;
    }
    if (m_upstreamStatus >= 400) { // a refusal cut short: what arrived of it still says why
        write(std::exchange(m_tail, {}));
        record(QStringLiteral("upstream_error"));
        m_record.bytesOut += m_transform->fail(*m_exchange, {}, {});
        return;
    }
    // A non-SSE body cut off mid-way cannot be repaired: close the connection so the client sees it.
    UsageEstimate::chargeUpstreamFailed(m_record, m_drain.requestBytes);
    record(QStringLiteral("upstream_error"));
    m_exchange->abort();
}

void ResponsesRelay::failStream(const QString &code, const QString &message)
{
    if (m_transform) {
        m_record.bytesOut += m_transform->fail(*m_exchange, code, message);
    } else {
        m_exchange->writeChunk(OpenAiSseContract::failure(code, message));
        m_exchange->endStream();
    }
    UsageEstimate::chargeUpstreamFailed(m_record, m_drain.requestBytes);
    record(QStringLiteral("upstream_error"));
}

void ResponsesRelay::onClientClosed()
{
    m_exchange.clear();
    if (m_recorded) {
        abortUpstream();
        return;
    }
    startDrain();
}

void ResponsesRelay::startDrain()
{
    m_draining = true;
    if (m_drain.owner)
        setParent(m_drain.owner); // the exchange is about to be deleted, and its children with it
    if (!m_upstream || !m_drain.owner) {
        abortUpstream();
        endDrain();
        return;
    }
    if (m_paused) {
        m_paused = false;
        m_upstream->resume();
    }
    QTimer::singleShot(m_drain.ms, this, [this] {
        abortUpstream();
        endDrain();
    });
}

void ResponsesRelay::endDrain()
{
    if (m_recorded)
        return;
    UsageEstimate::chargeClientClosed(m_record, m_drain.requestBytes);
    record(QStringLiteral("client_closed"));
    if (m_drain.owner && parent() == m_drain.owner)
        deleteLater();
}

void ResponsesRelay::abortUpstream()
{
    if (!m_upstream)
        return;
    disconnect(m_upstream, nullptr, this, nullptr);
    m_upstream->abort();
    m_upstream = nullptr;
}

void ResponsesRelay::record(const QString &outcome)
{
    if (m_recorded)
        return;
    m_recorded = true;
    if (m_transform)
        m_record.status = m_transform->clientStatus();
    m_record.outcome = outcome;
    m_record.latencyMs = m_clock.elapsed();
    std::function<void()> durable;
    if (m_exchange) { // the client is about to see the response end: not before its record is safe
        m_exchange->holdOutput();
        durable = [exchange = m_exchange] {
            if (exchange)
                exchange->releaseOutput();
        };
    }
    m_sink(m_record, std::move(durable));
}

} // namespace Proxy
