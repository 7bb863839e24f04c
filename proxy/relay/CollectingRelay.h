// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/relay/CompactStreamReader.h"
#include "proxy/relay/DrainPlan.h"
#include "proxy/relay/RecordSink.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/upstream/UpstreamExchange.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Proxy {

class HttpExchange;

/// Answers with one JSON response object a request whose turn the upstream streams but whose client
/// wants no stream: a `/responses/compact` request (a compaction turn), or a non-streaming Responses
/// request sent to a codex-kind account (the ChatGPT backend only streams). Reads the SSE FailoverRelay
/// accepted to its terminal event (CompactStreamReader) and sends the client one JSON response
/// object (200), or 502 in the OpenAI envelope when the turn failed or the stream ended early. A
/// non-SSE upstream answer is passed back as it is. Usage is recorded once, as for any Responses
/// request, and the answer waits until that record is durable. Lives on the proxy thread as a child of
/// the client's exchange; a client that hangs up early does not end the turn (see DrainPlan).
class CollectingRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollectingRelay)

public:
    static constexpr qsizetype MaxPlainBodyBytes = 16 * 1024 * 1024;

    CollectingRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock, HttpHeaders responseHeaders,
                 RecordSink sink);
    ~CollectingRelay() override; ///< a drain cut short (shutdown) is charged the estimate

    /// What to do when the client hangs up early (call before adopt()).
    void setDrain(const DrainPlan &plan) { m_drain = plan; }

    /// Takes over @p upstream, whose head (@p status, @p headers) just arrived.
    void adopt(UpstreamExchange *upstream, int status, const HttpHeaders &headers);

private:
    void onBody(const QByteArray &data);
    void onFinished();
    void onFailed(const UpstreamError &error);
    void onClientClosed();
    /// Records client_closed with the turn's usage when it arrived, else the estimate.
    void endDrain();
    void answerFromStream();
    void answerPlain();
    void fail(const QString &code, const QString &message, const QString &outcome);
    /// The upstream broke off the accepted stream: 502 stream_incomplete, upstream_error with the estimate.
    void failUnfinished(const QString &message);
    void respond(int status, const HttpHeaders &headers, const QByteArray &body, const QString &outcome);

    QPointer<HttpExchange> m_exchange;
    UpstreamExchange *m_upstream = nullptr;
    RequestRecord m_record;
    QElapsedTimer m_clock;
    HttpHeaders m_responseHeaders;
    RecordSink m_sink;
    CompactStreamReader m_reader;
    HttpHeaders m_upstreamHeaders;
    QByteArray m_plainBody;
    int m_upstreamStatus = 0;
    bool m_isEventStream = false;
    DrainPlan m_drain;
    bool m_done = false;
    bool m_draining = false;
};

} // namespace Proxy
