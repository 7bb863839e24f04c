// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"
#include "proxy/http/HttpRequestParser.h"
#include "proxy/http/ResponseFramer.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Proxy {

class HttpExchange;
class HttpServer;

/// One client socket of the HTTP front end (private to proxy/http). Runs the request parser on
/// readyRead and hands each complete request to the server's handler as an HttpExchange, one at a
/// time; writes the response framing; enforces the header and keep-alive idle timeouts; answers
/// bad input with an error envelope and closes (lingering close: flush, shut down the write side,
/// drain the peer for a short grace, then abort).
///
/// Pipelining: a request is dispatched only when no response is in progress. Bytes of a new request
/// that arrive while a response is in progress (or are left in the buffer after dispatching an
/// exchange that did not finish synchronously) are not dispatched: the connection is marked to close
/// once the current response is done and further input is discarded, so two responses can never
/// interleave. A handler that answers synchronously lets pipelined requests in the same buffer run
/// in order.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    /// Takes ownership of @p socket (connected).
    HttpConnection(QTcpSocket *socket, HttpServer *server, const HttpLimits &limits);
    ~HttpConnection() override;

    /// Starts reading; the header timeout runs until the first request is complete.
    void start();
    /// Answers 503 (server busy) and closes; the connection is not counted against the cap.
    void rejectBusy();
    /// Closes the connection if no request is being received or answered.
    void closeIfIdle();
    /// Aborts the socket at once (in-flight exchanges get closed()).
    void abortNow();
    /// The server is going away: no further calls into it.
    void detachServer() { m_server = nullptr; }
    bool isRejected() const { return m_rejected; }

    // Called by HttpExchange.
    void respond(HttpExchange *exchange, int status, const HttpHeaders &headers, const QByteArray &body);
    void beginStream(HttpExchange *exchange, int status, const HttpHeaders &headers);
    void writeChunk(HttpExchange *exchange, const QByteArray &data);
    void endStream(HttpExchange *exchange);
    void beginTunnel(HttpExchange *exchange, const HttpHeaders &headers);
    void abortExchange(HttpExchange *exchange);
    void exchangeDestroyed(HttpExchange *exchange);
    qint64 pendingBytes() const;

private:
    void onReadyRead();
    void onBytesWritten();
    void onHeaderTimeout();
    void onIdleTimeout();
    void processInput();
    void scheduleProcessInput();
    void dispatch(HttpRequest &&request, bool keepAlive);
    /// Runs the server's head check on a request whose body is still to come; true when it refused
    /// (answered, closing).
    bool refusedFromHead();
    bool isCurrent(const HttpExchange *exchange) const;
    bool decideClose(const HttpHeaders &headers) const;
    void write(const QByteArray &data);
    void trackHighWater();
    void finishResponse();
    void sendErrorAndClose(int status, const QString &code, const QString &message);
    void beginClose();
    void shutdownWrite();
    void teardown();
    void refreshLimits();

    QTcpSocket *m_socket;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    HttpLimits m_limits;
    QHostAddress m_peer;
    quint16 m_peerPort = 0;

    QTimer m_headerTimer;
    QTimer m_idleTimer;
    QTimer m_closeTimer;

    QPointer<HttpExchange> m_exchange; ///< the request being answered, if any
    ResponseFramer m_framer;
    bool m_keepAlive = true;          ///< what the current request allows
    bool m_isHeadRequest = false;
    bool m_closeAfterResponse = false; ///< pipelined input or handler asked: close when done
    bool m_responseCloses = false;     ///< the response head in progress said Connection: close
    bool m_headChecked = false;        ///< the head check ran for the request being received
    bool m_discardInput = false;
    bool m_processing = false;
    bool m_processQueued = false;
    bool m_aboveHighWater = false;
    bool m_closing = false;
    bool m_shutdownSent = false;
    bool m_dead = false;
    bool m_rejected = false;
};

} // namespace Proxy
