// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/http/HttpRequest.h"

#include <QObject>

namespace Proxy {

class ExchangeSink;
class HttpConnection;

/// One request/response on a client connection, handed to the request handler.
/// Lives on the proxy thread and is owned by its connection: hold it through a QPointer, because it is
/// deleted when the client goes away (closed() is emitted first). The response is either one
/// complete message (respond) or a chunked stream (beginStream / writeChunk / endStream).
/// The front end adds Date, Connection and framing headers (Content-Length or Transfer-Encoding).
class HttpExchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpExchange)

public:
    HttpExchange(HttpRequest request, HttpConnection *connection);
    /// An exchange without a connection: its response goes to @p sink (which must outlive it); the
    /// sink's owner emits closed() and drained() on it.
    HttpExchange(HttpRequest request, ExchangeSink *sink, QObject *parent);
    ~HttpExchange() override;

    const HttpRequest &request() const { return m_request; }
    /// An exchange without a connection (a WebSocket turn): its client always reads a stream of events.
    bool hasSink() const { return m_sink != nullptr; }
    /// Replaces the request body with the handler's rewrite of it (decoded, or reshaped for the
    /// upstream). The new body is never content-coded, so any Content-Encoding field goes with the old
    /// one. Call before handing the request on; request() then reads as if the client had sent it.
    void replaceBody(QByteArray body);

    /// Sends a complete response with Content-Length. Nothing may follow.
    void respond(int status, const HttpHeaders &headers, const QByteArray &body);
    /// Sends the head of a chunked response at once (fast TTFB).
    void beginStream(int status, const HttpHeaders &headers);
    /// Writes one chunk (empty data is ignored). Never blocks; see pendingBytes()/drained().
    void writeChunk(const QByteArray &data);
    /// Writes the last chunk; the connection may then serve its next request. After upgrade(): closes
    /// the connection once what was written has been sent.
    void endStream();
    /// Answers 101 Switching Protocols with @p headers; from then on the connection is a raw byte pipe:
    /// writeChunk() writes bytes as they are, and what the client sends arrives as upgradedData().
    void upgrade(const HttpHeaders &headers);
    /// Aborts the response: what was already written is flushed, then the connection is closed
    /// without a terminating chunk. closed() follows from the event loop (not inside this call),
    /// then the exchange is deleted.
    void abort();

    /// Holds back everything written from now on (chunks, the end of the stream, a response) until
    /// releaseOutput(), which writes it in order. A response's terminal bytes wait like this until
    /// its usage record is durable. Idempotent.
    void holdOutput() { m_holding = true; }
    void releaseOutput();
    bool outputHeld() const { return m_holding; }

    bool responseStarted() const { return m_started; }
    bool finished() const { return m_finished; }
    /// Bytes written to the connection but not yet sent to the client.
    qint64 pendingBytes() const;
    qint64 bytesWritten() const { return m_bytesOut; }

signals:
    /// pendingBytes() fell below the low-water mark after having been above the high-water mark.
    void drained();
    /// The client went away (or the connection was closed) before the response finished.
    void closed();
    /// Bytes from the client after upgrade().
    void upgradedData(const QByteArray &data);

private:
    friend class HttpConnection;
    struct HeldWrite final
    {
        enum class Kind { Respond, Chunk, End, Abort } kind;
        QByteArray data;
        int status = 0;
        HttpHeaders headers;
    };
    bool held(HeldWrite write);

    QList<HeldWrite> m_held;
    bool m_holding = false;
    HttpRequest m_request;
    HttpConnection *m_connection;
    ExchangeSink *m_sink = nullptr;
    bool m_started = false;
    bool m_finished = false;
    qint64 m_bytesOut = 0;
};

} // namespace Proxy
