// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/ExchangeSink.h"
#include "proxy/http/HttpRequest.h"
#include "proxy/relay/SseEventSplitter.h"

#include <QObject>
#include <QPointer>

namespace Proxy {

class HttpExchange;
class WebSocketSession;

/// One `response.create` on a WebSocket. Its request is an HttpExchange without a connection, so the
/// proxy answers it exactly like an HTTP POST (auth, policy, relay, usage, log); as the sink of that
/// exchange the turn sends each SSE event's JSON as a text frame. An error answer becomes an `error`
/// event {"type":"error","status","error":{message,type,code,param}} carrying the upstream's reason
/// (status ≥ 500, or an upstream failure mid-stream, also closes the socket with 1011 after it). Deletes
/// itself (and its exchange) when the answer is complete. Proxy thread.
class WebSocketTurn final : public QObject, public ExchangeSink
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketTurn)

public:
    WebSocketTurn(WebSocketSession *session, HttpRequest request, QObject *parent);

    HttpExchange *exchange() const { return m_exchange; }
    /// The socket went away while the answer was running: the relays hear it as a closed client.
    void clientClosed();

    void respond(int status, const HttpHeaders &headers, const QByteArray &body) override;
    void beginStream(int status, const HttpHeaders &headers) override;
    void writeChunk(const QByteArray &data) override;
    void endStream() override;
    void abort() override;
    qint64 pendingBytes() const override;

signals:
    void finished();

private:
    void sendError(int status, const QByteArray &body);
    void finish();

    QPointer<WebSocketSession> m_session;
    HttpExchange *m_exchange; // child
    SseEventSplitter m_events;
    int m_status = 0;
    QByteArray m_errorBody;
    bool m_done = false;
};

} // namespace Proxy
