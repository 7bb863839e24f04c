// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/ResponseBodyDecoder.h"
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
/// otherwise. Lives on the proxy thread as a child of the client's exchange, so a client that goes
/// away takes the upstream request with it.
class ResponsesRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponsesRelay)

public:
    using RecordSink = std::function<void(const RequestRecord &)>;

    ResponsesRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock,
                   HttpHeaders responseHeaders, RecordSink sink);

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
    void failStream(const QString &code, const QString &message);
    void record(const QString &outcome);

    QPointer<HttpExchange> m_exchange;
    UpstreamExchange *m_upstream = nullptr;
    RequestRecord m_record;
    QElapsedTimer m_clock;
    HttpHeaders m_responseHeaders;
    RecordSink m_sink;
    SseUsageParser m_sse;
    std::unique_ptr<ResponseBodyDecoder> m_decoder; ///< set when the upstream compressed its answer
    std::unique_ptr<ResponseTransform> m_transform; ///< null: byte-for-byte pass-through
    QByteArray m_jsonBody;
    int m_upstreamStatus = 0;
    bool m_isEventStream = false;
    bool m_jsonTooLarge = false;
    bool m_recorded = false;
    bool m_paused = false;
};

} // namespace Proxy
