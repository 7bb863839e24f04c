// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/relay/DrainPlan.h"
#include "proxy/relay/RecordSink.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/ResponseTransform.h"
#include "proxy/relay/SseUsageParser.h"
#include "proxy/upstream/UpstreamExchange.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace Proxy {

class HttpExchange;

/// Streams the upstream response FailoverRelay accepted back to the client, unbuffered: the head at
/// once, then each upstream chunk as it arrives, with backpressure when the client reads slowly. A
/// failure from here on is a `response.failed` event (SSE) or a cut connection, never a replay.
/// Usage is recorded exactly once: when the terminal event is parsed, or when the exchange ends
/// otherwise; the bytes that complete the response wait until that record is durable (RecordSink).
/// Lives on the proxy thread as a child of the client's exchange. A client that hangs up early does
/// not end the upstream request: the relay moves to the DrainPlan's owner and reads on for the usage
/// (bounded), else charges an estimate, so hanging up never makes a request free.
class ResponsesRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponsesRelay)

public:
    /// @p exchange may be null: the client left before the head came, and the relay only drains.
    ResponsesRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock,
                   HttpHeaders responseHeaders, RecordSink sink);
    ~ResponsesRelay() override; ///< a drain cut short (shutdown) is charged the estimate

    /// What to do when the client hangs up early (call before adopt()).
    void setDrain(const DrainPlan &plan) { m_drain = plan; }
    /// Writes to the client through @p transform instead of copying the upstream bytes (call before adopt()).
    void setTransform(std::unique_ptr<ResponseTransform> transform) { m_transform = std::move(transform); }

    /// Takes over @p upstream, whose head (@p status, @p headers) just arrived, and forwards that head.
    void adopt(UpstreamExchange *upstream, int status, const HttpHeaders &headers);

private:
    void onHead(int status, const HttpHeaders &headers);
    void onBody(const QByteArray &data);
    void onFinished();
    void onFailed(const UpstreamError &error);
    void onClientClosed();
    void onTerminalEvent();
    /// Ends an accepted stream the upstream broke off: `response.failed`, recorded upstream_error with the estimate.
    void failStream(const QString &code, const QString &message);
    void write(const QByteArray &data);
    void record(const QString &outcome);
    void startDrain();
    /// Records client_closed with the upstream's usage when it arrived, else the estimate; ends the drain.
    void endDrain();
    void abortUpstream();

    QPointer<HttpExchange> m_exchange;
    UpstreamExchange *m_upstream = nullptr;
    RequestRecord m_record;
    QElapsedTimer m_clock;
    HttpHeaders m_responseHeaders;
    RecordSink m_sink;
    SseUsageParser m_sse;
    std::unique_ptr<ResponseTransform> m_transform; ///< null: byte-for-byte pass-through
    QByteArray m_jsonBody;
    QByteArray m_tail; ///< non-SSE: the last chunk, written once the record is handed over
    DrainPlan m_drain;
    int m_upstreamStatus = 0;
    bool m_isEventStream = false;
    bool m_jsonTooLarge = false;
    bool m_recorded = false;
    bool m_paused = false;
    bool m_draining = false;
};

} // namespace Proxy
