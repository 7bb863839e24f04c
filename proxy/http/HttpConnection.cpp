// SPDX-License-Identifier: MIT
#include "proxy/http/HttpConnection.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/http/HttpSyntax.h"
#include "proxy/http/HttpExchange.h"
#include "proxy/http/HttpServer.h"
#include "proxy/http/ResponseFramer.h"
#include "proxy/http/ResponseHead.h"

#include <QTcpSocket>

#if defined(Q_OS_UNIX)
#include <sys/socket.h>
#elif defined(Q_OS_WIN)
#include <winsock2.h>
#endif

namespace Proxy {

namespace {

constexpr qint64 HighWaterBytes = 256 * 1024;
constexpr qint64 LowWaterBytes = 64 * 1024;
constexpr int CloseGraceMs = 3000;               ///< no write progress / no peer EOF for this long → abort
constexpr int RejectGraceMs = 1000;

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server, const HttpLimits &limits)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(limits)
    , m_limits(limits)
    , m_headerTimer(this)
    , m_idleTimer(this)
    , m_closeTimer(this)
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();

    m_headerTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    m_closeTimer.setSingleShot(true);
    connect(&m_headerTimer, &QTimer::timeout, this, &HttpConnection::onHeaderTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, &HttpConnection::onIdleTimeout);
    connect(&m_closeTimer, &QTimer::timeout, this, &HttpConnection::teardown);

    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::teardown);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            teardown();
    });
}

HttpConnection::~HttpConnection()
{
    // Deleted without teardown (the server went away): the exchange still hears about it.
    if (HttpExchange *exchange = m_exchange) {
        m_exchange = nullptr;
        exchange->m_connection = nullptr;
        if (!exchange->m_finished)
            emit exchange->closed();
    }
}

void HttpConnection::start()
{
    m_headerTimer.start(m_limits.headerTimeoutMs); // nothing received when it fires → plain close
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void HttpConnection::rejectBusy()
{
    m_rejected = true;
    sendErrorAndClose(503, QStringLiteral("server_busy"), QStringLiteral("Too many connections"));
}

void HttpConnection::closeIfIdle()
{
    if (!m_exchange && !m_parser.hasPartialRequest())
        beginClose();
}

void HttpConnection::abortNow()
{
    teardown();
}

void HttpConnection::refreshLimits()
{
    if (m_server) {
        m_limits = m_server->m_limits;
        m_parser.setLimits(m_limits);
    }
}

void HttpConnection::onReadyRead()
{
    if (m_dead)
        return;
    const QByteArray data = m_socket->readAll();
    if (m_closing || data.isEmpty())
        return; // draining before close
    if (m_framer.mode() == ResponseFramer::Mode::Tunnel && m_exchange) {
        emit m_exchange->upgradedData(data);
        return;
    }
    if (m_discardInput)
        return;
    if (m_exchange) {
        // A request pipelined while a response is in progress: never dispatched, close afterwards.
        for (const char c : data) {
            if (c != '\r' && c != '\n') {
                m_closeAfterResponse = true;
                m_discardInput = true;
                break;
            }
        }
        return;
    }
    if (!m_parser.hasPartialRequest())
        refreshLimits();
    m_parser.append(data);
    processInput();
}

void HttpConnection::scheduleProcessInput()
{
    if (m_processQueued)
        return;
    m_processQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processQueued = false;
            processInput();
        },
        Qt::QueuedConnection);
}

void HttpConnection::processInput()
{
    if (m_processing)
        return;
    m_processing = true;
    while (!m_dead && !m_closing && !m_exchange) {
        const HttpRequestParser::Status status = m_parser.parse();
        if (status == HttpRequestParser::Status::Error) {
            m_headerTimer.stop();
            sendErrorAndClose(m_parser.errorStatus(), m_parser.errorCode(), m_parser.errorMessage());
            break;
        }
        if (status == HttpRequestParser::Status::NeedMore) {
            if (m_parser.hasPartialRequest()) {
                m_idleTimer.stop();
                if (!m_headerTimer.isActive())
                    m_headerTimer.start(m_limits.headerTimeoutMs);
                if (m_parser.headComplete() && !m_headChecked) {
                    m_headChecked = true;
                    if (refusedFromHead())
                        break;
                    if (m_parser.expectsContinue()) {
                        write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
                        m_socket->flush();
                    }
                }
            } else if (!m_headerTimer.isActive() && !m_idleTimer.isActive()) {
                m_idleTimer.start(m_limits.idleTimeoutMs);
            }
            break;
        }
        m_headerTimer.stop();
        m_idleTimer.stop();
        m_headChecked = false;
        const bool keepAlive = m_parser.keepAlive();
        dispatch(m_parser.takeRequest(), keepAlive);
    }
    m_processing = false;
    if (m_exchange && !m_dead && m_parser.bufferedBytes() > 0) {
        // The next request was already buffered but the current response is asynchronous.
        m_closeAfterResponse = true;
        m_discardInput = true;
    }
}

bool HttpConnection::refusedFromHead()
{
    if (!m_server || !m_server->m_headCheck)
        return false;
    HttpRequest head = m_parser.head();
    head.peer = m_peer;
    head.peerPort = m_peerPort;
    const std::optional<HttpServer::HeadRefusal> refusal = m_server->m_headCheck(head);
    if (!refusal)
        return false;
    m_headerTimer.stop();
    m_discardInput = true; // the body is never read: whatever comes is drained by the lingering close
    ResponseFramer::complete(ResponseHead::finalStatusOr500(refusal->status), refusal->headers, true,
                             head.method == "HEAD", refusal->body, [this](const QByteArray &d) { write(d); });
    beginClose();
    return true;
}

void HttpConnection::dispatch(HttpRequest &&request, bool keepAlive)
{
    request.peer = m_peer;
    request.peerPort = m_peerPort;
    m_keepAlive = keepAlive;
    m_isHeadRequest = request.method == "HEAD";
    m_framer.reset();
    m_responseCloses = false;
    m_aboveHighWater = false;

    auto *exchange = new HttpExchange(std::move(request), this);
    m_exchange = exchange;
    if (m_server)
        m_server->exchangeStarted();
    if (m_server && m_server->m_handler) {
        m_server->m_handler(exchange);
    } else {
        exchange->respond(500, {}, errorEnvelope(QStringLiteral("No request handler"), QStringLiteral("server_error"),
                                                 QStringLiteral("internal_error")));
    }
}

bool HttpConnection::isCurrent(const HttpExchange *exchange) const
{
    return !m_dead && exchange && m_exchange == exchange && !exchange->m_finished;
}

bool HttpConnection::decideClose(const HttpHeaders &headers) const
{
    if (!m_keepAlive || m_closeAfterResponse || !m_server || !m_server->m_accepting)
        return true;
    return HttpSyntax::listContains(headers, "connection", "close");
}

void HttpConnection::write(const QByteArray &data)
{
    if (m_dead || data.isEmpty())
        return;
    m_socket->write(data);
}

void HttpConnection::trackHighWater()
{
    if (!m_aboveHighWater && m_socket->bytesToWrite() > HighWaterBytes)
        m_aboveHighWater = true;
}

qint64 HttpConnection::pendingBytes() const
{
    return m_dead ? 0 : m_socket->bytesToWrite();
}

void HttpConnection::respond(HttpExchange *exchange, int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (!isCurrent(exchange) || exchange->m_started)
        return;
    exchange->m_started = true;
    m_responseCloses = decideClose(headers);
    exchange->m_bytesOut += ResponseFramer::complete(ResponseHead::finalStatusOr500(status), headers, m_responseCloses,
                                                     m_isHeadRequest, body, [this](const QByteArray &d) { write(d); });
    trackHighWater();
    finishResponse();
}

void HttpConnection::beginStream(HttpExchange *exchange, int status, const HttpHeaders &headers)
{
    if (!isCurrent(exchange) || exchange->m_started)
        return;
    exchange->m_started = true;
    m_responseCloses = decideClose(headers);
    // No flush here: the head leaves when control returns to the event loop, still within this turn,
    // together with whatever body bytes the relay writes meanwhile (one syscall instead of three).
    write(m_framer.beginStream(ResponseHead::finalStatusOr500(status), headers, m_responseCloses, m_isHeadRequest,
                               exchange->m_request.versionMinor == 0));
}

void HttpConnection::writeChunk(HttpExchange *exchange, const QByteArray &data)
{
    if (!isCurrent(exchange) || !exchange->m_started || data.isEmpty())
        return;
    if (!m_framer.chunk(data, [this](const QByteArray &d) { write(d); }))
        return;
    exchange->m_bytesOut += data.size();
    trackHighWater();
}

void HttpConnection::endStream(HttpExchange *exchange)
{
    if (!isCurrent(exchange) || !exchange->m_started)
        return;
    write(m_framer.end());
    if (m_framer.mode() == ResponseFramer::Mode::Tunnel)
        m_responseCloses = true;
    finishResponse();
}

void HttpConnection::beginTunnel(HttpExchange *exchange, const HttpHeaders &headers)
{
    if (!isCurrent(exchange) || exchange->m_started)
        return;
    exchange->m_started = true;
    m_discardInput = false;
    m_closeAfterResponse = false;
    write(m_framer.beginTunnel(headers));
    // Frames the client sent right behind its handshake are already in the parser's buffer.
    if (QByteArray early = m_parser.takeBuffered(); !early.isEmpty())
        QMetaObject::invokeMethod(
            exchange, [exchange, early] { emit exchange->upgradedData(early); }, Qt::QueuedConnection);
}

void HttpConnection::abortExchange(HttpExchange *exchange)
{
    if (!isCurrent(exchange))
        return;
    // What was written so far is still flushed, then the connection closes without the
    // terminating chunk (or short of Content-Length), so the client sees a truncated response.
    // closed() is queued rather than emitted inside the handler's abort() call.
    m_exchange = nullptr;
    exchange->m_connection = nullptr;
    m_framer.reset();
    if (m_server)
        m_server->exchangeFinished();
    // Detached from the connection so that it outlives it until closed() was delivered.
    exchange->setParent(nullptr);
    QMetaObject::invokeMethod(
        exchange,
        [exchange] {
            emit exchange->closed();
            exchange->deleteLater();
        },
        Qt::QueuedConnection);
    beginClose();
}

void HttpConnection::exchangeDestroyed(HttpExchange *exchange)
{
    if (m_exchange != exchange)
        return;
    // Deleted by someone else before its response finished: the connection cannot go on.
    m_exchange = nullptr;
    if (!exchange->m_finished) {
        if (m_server)
            m_server->exchangeFinished();
        teardown();
    }
}

void HttpConnection::finishResponse()
{
    HttpExchange *exchange = m_exchange;
    exchange->m_finished = true;
    exchange->m_connection = nullptr;
    m_exchange = nullptr;
    m_framer.reset();
    exchange->deleteLater();
    if (m_server)
        m_server->exchangeFinished();
    if (m_dead)
        return;

    if (m_responseCloses || m_closeAfterResponse || !m_server || !m_server->m_accepting) {
        beginClose();
        return;
    }
    m_closeAfterResponse = false;
    if (m_parser.bufferedBytes() > 0) {
        if (m_processing)
            return; // the dispatch loop goes on with the buffered request
        scheduleProcessInput();
        return;
    }
    m_idleTimer.start(m_limits.idleTimeoutMs);
}

void HttpConnection::onBytesWritten()
{
    if (m_dead)
        return;
    if (m_closing) {
        m_closeTimer.start(m_rejected ? RejectGraceMs : CloseGraceMs); // progress: keep flushing
        if (m_socket->bytesToWrite() == 0)
            shutdownWrite();
        return;
    }
    if (m_aboveHighWater && m_socket->bytesToWrite() < LowWaterBytes) {
        m_aboveHighWater = false;
        if (HttpExchange *exchange = m_exchange)
            emit exchange->drained();
    }
}

void HttpConnection::onHeaderTimeout()
{
    if (m_dead || m_closing || m_exchange)
        return;
    if (m_parser.hasPartialRequest())
        sendErrorAndClose(408, QStringLiteral("request_timeout"), QStringLiteral("Request not received in time"));
    else
        beginClose();
}

void HttpConnection::onIdleTimeout()
{
    if (m_dead || m_closing || m_exchange || m_parser.hasPartialRequest())
        return;
    beginClose();
}

void HttpConnection::sendErrorAndClose(int status, const QString &code, const QString &message)
{
    if (m_dead || m_closing)
        return;
    write(ResponseFramer::refusal(status, code, message));
    beginClose();
}

void HttpConnection::beginClose()
{
    if (m_dead || m_closing)
        return;
    m_closing = true;
    m_headerTimer.stop();
    m_idleTimer.stop();
    m_closeTimer.start(m_rejected ? RejectGraceMs : CloseGraceMs);
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
    else
        m_socket->flush();
}

void HttpConnection::shutdownWrite()
{
    if (m_shutdownSent || m_dead)
        return;
    m_shutdownSent = true;
    // Lingering close: send FIN but keep reading (and discarding) until the peer closes, so that
    // unread request bytes in our receive buffer do not turn the close into a RST that could
    // destroy the response before the client read it.
#if defined(Q_OS_UNIX)
    ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
#elif defined(Q_OS_WIN)
    ::shutdown(static_cast<SOCKET>(m_socket->socketDescriptor()), SD_SEND);
#else
    m_socket->disconnectFromHost();
#endif
    m_closeTimer.start(m_rejected ? RejectGraceMs : CloseGraceMs);
}

void HttpConnection::teardown()
{
    if (m_dead)
        return;
    m_dead = true;
    m_headerTimer.stop();
    m_idleTimer.stop();
    m_closeTimer.stop();
    m_socket->disconnect(this);
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();

    if (HttpExchange *exchange = m_exchange) {
        m_exchange = nullptr;
        exchange->m_connection = nullptr;
        if (!exchange->m_finished) {
            if (m_server)
                m_server->exchangeFinished();
            emit exchange->closed();
        }
        exchange->deleteLater();
    }
    if (m_server)
        m_server->connectionClosed(this);
    deleteLater();
}

} // namespace Proxy
