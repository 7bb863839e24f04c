// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/relay/TokenUsage.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

class QTcpServer;

namespace Proxy {

class FakeUpstreamConnection;

/// A scripted, deliberately misbehaving HTTP/1.1 upstream for tests, on raw sockets.
/// Listens on 127.0.0.1 with an ephemeral port and lives on the thread that creates it
/// (all its signals are emitted there). Keep-alive, pipelined requests and many concurrent
/// connections are supported. Request bodies must use Content-Length (chunked uploads get 411).
class FakeUpstream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeUpstream)

public:
    /// What to answer. The defaults send "200 OK" with an empty Content-Length body.
    struct Reply final
    {
        int status = 200;
        QByteArray reason;   ///< empty: a standard phrase for the status
        HttpHeaders headers; ///< sent as given; framing headers (Content-Length /
                             ///< Transfer-Encoding) are added unless already present

        /// Fixed body, sent with Content-Length (or chunked in one chunk if @ref chunked).
        QByteArray body;
        bool chunked = false;

        /// SSE mode when non-empty: each entry is written as its own chunk (chunked encoding),
        /// @ref eventDelayMs apart (the first one too, measured from the head).
        QList<QByteArray> events;
        int eventDelayMs = 0;
        /// Close the TCP connection right after sending this many events (mid-body: no
        /// terminal 0-chunk). -1: off.
        int closeAfterEvents = -1;
        /// After the last event, close the connection instead of sending the 0-chunk.
        bool omitTerminalChunk = false;

        /// If > 0: a body of this many bytes ('x' and newlines) generated lazily as the
        /// socket drains (sent with Content-Length, or chunked if @ref chunked).
        qint64 hugeBodyBytes = 0;
        /// With hugeBodyBytes: close the connection after this many body bytes. -1: off.
        qint64 closeAfterBodyBytes = -1;

        /// Never answer (the connection stays open and silent). Tests 504s.
        bool stall = false;
        /// Close the connection at once without answering (a stale keep-alive connection).
        bool dropConnection = false;
        /// Delay before the head is written.
        int headDelayMs = 0;
        /// Send "Connection: close" and close after the response.
        bool closeConnection = false;

        /// Hostile mode when non-empty: these bytes instead of a head and a framed body, written as
        /// they are, @ref eventDelayMs apart (a broken status line, an endless head, a bad chunk
        /// size …). Then the connection stays open and silent, or closes with @ref closeConnection.
        QList<QByteArray> raw;
        /// With raw: then the last piece again and again, as the socket drains, until this many bytes
        /// were written in all or the peer left (an endless head). 0: off.
        qint64 rawRepeatUntilBytes = 0;

        /// JSON body with Content-Type: application/json.
        static Reply json(const QJsonObject &object, int status = 200);
        /// text/event-stream, chunked, one chunk per event.
        static Reply sse(const QList<QByteArray> &events, int eventDelayMs = 0);
        /// Never answers.
        static Reply stalled();
        /// application/octet-stream body of @p bytes bytes, generated lazily.
        static Reply huge(qint64 bytes);
    };

    /// One received request.
    struct Request final
    {
        QByteArray method;
        QByteArray target; ///< as on the request line: path?query
        QByteArray path;   ///< target without the query
        QByteArray version;
        HttpHeaders headers;
        QByteArray body;
        int connectionId = 0;         ///< 1-based TCP connection number (same id = same connection)
        qint64 receivedAtMs = 0;      ///< FakeUpstream::clockMs() when the request was complete
        qint64 responseDoneAtMs = -1; ///< clockMs() when the last response byte was queued (or the
                                      ///< connection was closed on purpose); -1 while in progress
    };

    using Usage = TokenUsage; ///< what the canned stream reports in response.usage

    using Handler = std::function<Reply(const Request &)>;

    explicit FakeUpstream(QObject *parent = nullptr);
    ~FakeUpstream() override;

    quint16 port() const;
    /// http://127.0.0.1:<port>
    QUrl baseUrl() const;

    /// Reply for requests whose path (without query) equals @p path.
    void setReply(const QByteArray &path, const Reply &reply);
    /// Reply when nothing else matches. Default: 404 with a small JSON error.
    void setDefaultReply(const Reply &reply);
    /// One-shot replies for @p path, consumed in order before setReply()/the default apply.
    void enqueueReply(const QByteArray &path, const Reply &reply);
    /// Takes precedence over everything above when set.
    void setHandler(Handler handler);
    /// ChatGPT mode (on by default): a POST to a path ending in `/codex/responses` is first held to the
    /// ChatGPT backend's rules and refused as it refuses them, 400 `{"detail": …}`: `stream` must be
    /// true, `store` false, the plain-API fields (`max_output_tokens`, `temperature`, …) and an empty
    /// `tools` list are unsupported. Only a request that passes gets the scripted reply.
    void setChatGptRules(bool on) { m_chatGptRules = on; }
    /// Requests ChatGPT mode refused (they are in requests() too).
    int chatGptRefusals() const { return m_chatGptRefusals; }

    /// Every request received so far, in order.
    const QList<Request> &requests() const { return m_requests; }
    Request lastRequest() const { return m_requests.isEmpty() ? Request{} : m_requests.constLast(); }
    int requestCount() const { return int(m_requests.size()); }
    void clearRequests() { m_requests.clear(); }

    /// TCP connections accepted so far / currently open.
    int connectionCount() const { return m_connectionCount; }
    int openConnectionCount() const;
    /// Bytes the sockets reported as written to the kernel (head + body), all connections.
    qint64 bytesWritten() const { return m_bytesWritten; }
    /// How many times a peer closed while a response was still in progress (incl. stalls).
    int clientDisconnectCount() const { return m_clientDisconnects; }

    /// Closes every open connection at once (abortive).
    void closeAllConnections();
    /// Resets every open connection: a TCP RST (SO_LINGER 0), not a FIN.
    void resetAllConnections();

    /// Monotonic milliseconds, comparable with Request::receivedAtMs / responseDoneAtMs.
    static qint64 clockMs();

    /// "event: <type>\ndata: <compact json>\n\n" (the data is written as given).
    static QByteArray sseEvent(const QByteArray &type, const QJsonObject &data);
    /// A canned Responses API stream: response.created, response.output_item.added (message),
    /// response.content_part.added (output_text), one response.output_text.delta per delta,
    /// response.output_item.done, response.completed with model, id, status and usage.
    /// Every data object carries "type" and "sequence_number".
    static QList<QByteArray> responsesStream(const QString &model, const QStringList &deltas,
                                             const Usage &usage,
                                             const QString &responseId = QStringLiteral("resp_fake_1"));

signals:
    void requestReceived(int index);
    /// The peer closed the connection while a response was in progress (or stalled).
    void clientDisconnected();
    /// Any connection closed, for whatever reason.
    void connectionClosed(int connectionId);

private:
    friend class FakeUpstreamConnection;
    Reply replyFor(const Request &request);
    int recordRequest(const Request &request);
    void markResponseDone(int index);
    void addBytesWritten(qint64 bytes) { m_bytesWritten += bytes; }
    void onConnectionClosed(FakeUpstreamConnection *connection, bool midResponse);

    QTcpServer *m_server;
    QHash<QByteArray, Reply> m_replies;
    QHash<QByteArray, QList<Reply>> m_queued;
    Reply m_defaultReply;
    Handler m_handler;
    QList<Request> m_requests;
    QList<FakeUpstreamConnection *> m_connections;
    int m_connectionCount = 0;
    qint64 m_bytesWritten = 0;
    int m_clientDisconnects = 0;
    bool m_chatGptRules = true;
    int m_chatGptRefusals = 0;
};

} // namespace Proxy
