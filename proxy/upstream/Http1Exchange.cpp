// SPDX-License-Identifier: MIT
#include "proxy/upstream/Http1Exchange.h"

#include "proxy/http/HttpSyntax.h"
#include "proxy/upstream/TlsFailureMessage.h"
#include "proxy/upstream/UpstreamConnectionPool.h"

#include <QAbstractSocket>
#include <QLoggingCategory>
#include <QSslSocket>

namespace Proxy {

namespace {

Q_LOGGING_CATEGORY(lcUpstream, "keygate.proxy.upstream")

/// Framing is ours: a caller-supplied Host/Content-Length/Transfer-Encoding would duplicate or
/// contradict it (request smuggling), so those three are never copied.
bool isFramingHeader(const QByteArray &name)
{
    return HttpHeaders::sameName(name, "Host") || HttpHeaders::sameName(name, "Content-Length")
           || HttpHeaders::sameName(name, "Transfer-Encoding");
}

bool isValidFieldValue(const QByteArray &value)
{
    for (char c : value)
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    return true;
}

bool methodCarriesBody(const QByteArray &method)
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

Http1Exchange::Http1Exchange(UpstreamConnectionPool *pool, const UpstreamRequest &request,
                             const UpstreamTimeouts &timeouts, QObject *parent)
    : UpstreamExchange(parent), m_pool(pool), m_request(request), m_timeouts(timeouts),
      m_parser(request.method == "HEAD")
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Http1Exchange::onTimeout);
    QMetaObject::invokeMethod(
        this, [this] { start(); }, Qt::QueuedConnection);
}

Http1Exchange::~Http1Exchange()
{
    m_phase = Phase::Finished;
    m_timer.stop();
    releaseConnection(false);
}

void Http1Exchange::pause()
{
    if (m_phase == Phase::Finished)
        return;
    m_paused = true;
    m_timer.stop(); // a paused reader is our doing, not an idle upstream
}

void Http1Exchange::resume()
{
    if (m_phase == Phase::Finished || !m_paused)
        return;
    m_paused = false;
    armTimer();
    scheduleProcess();
}

void Http1Exchange::abort()
{
    if (m_phase == Phase::Finished)
        return;
    m_phase = Phase::Finished;
    m_timer.stop();
    releaseConnection(false);
}

UpstreamEndpoint Http1Exchange::endpointFor(const QUrl &url)
{
    UpstreamEndpoint e;
    const QString scheme = url.scheme().toLower();
    const QString host = url.host(QUrl::FullyEncoded).toLower();
    if (!url.isValid() || host.isEmpty() || (scheme != u"http" && scheme != u"https"))
        return e;
    e.scheme = scheme;
    e.host = host;
    e.port = quint16(url.port(scheme == u"https" ? 443 : 80));
    return e;
}

QByteArray Http1Exchange::serializeRequest(const UpstreamRequest &request, QString *error)
{
    const UpstreamEndpoint endpoint = endpointFor(request.url);
    if (endpoint.scheme.isEmpty()) {
        *error = QStringLiteral("unsupported upstream URL (need http or https with a host)");
        return {};
    }
    if (!HttpSyntax::isToken(request.method)) {
        *error = QStringLiteral("invalid request method");
        return {};
    }
    QByteArray target =
        request.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target.startsWith('/'))
        target.prepend('/');

    QByteArray host = endpoint.host.toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    const int defaultPort = endpoint.isTls() ? 443 : 80;
    if (endpoint.port != defaultPort)
        host += ':' + QByteArray::number(endpoint.port);

    QByteArray out;
    out.reserve(256 + request.body.size());
    out += request.method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &field : request.headers.fields()) {
        if (isFramingHeader(field.first))
            continue;
        if (!HttpSyntax::isToken(field.first) || !isValidFieldValue(field.second)) {
            *error = QStringLiteral("invalid request header field");
            return {};
        }
        out += field.first + ": " + field.second + "\r\n";
    }
    if (!request.body.isEmpty() || methodCarriesBody(request.method))
        out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    out += "\r\n";
    out += request.body;
    return out;
}

void Http1Exchange::start()
{
    if (m_phase != Phase::Pending)
        return;
    m_endpoint = endpointFor(m_request.url);
    if (m_endpoint.isTls())
        m_endpoint.caCertificates = m_request.caCertificates;
    QString error;
    m_wire = serializeRequest(m_request, &error);
    if (m_wire.isEmpty()) {
        fail(m_endpoint.scheme.isEmpty() ? UpstreamError::Kind::ConnectFailed : UpstreamError::Kind::Protocol,
             error);
        return;
    }
    m_requestSaysClose = HttpSyntax::listContains(m_request.headers, "connection", "close");
    m_request.body.clear(); // m_wire holds it (for the one possible retry)

    if (m_pool) {
        if (UpstreamConnection *pooled = m_pool->take(m_endpoint)) {
            m_reused = true;
            useConnection(pooled);
            sendRequest();
            return;
        }
    }
    openFreshConnection();
}

void Http1Exchange::openFreshConnection()
{
    if (m_endpoint.isTls() && !QSslSocket::supportsSsl()) {
        fail(UpstreamError::Kind::ConnectFailed, QStringLiteral("TLS is not available (no OpenSSL backend)"));
        return;
    }
    m_reused = false;
    m_phase = Phase::Connecting;
    auto *connection = new UpstreamConnection(m_endpoint);
    useConnection(connection);
    connect(connection, &UpstreamConnection::ready, this, &Http1Exchange::sendRequest);
    armTimer();
    connection->open();
}

void Http1Exchange::useConnection(UpstreamConnection *connection)
{
    m_connection = connection;
    QAbstractSocket *socket = connection->socket();
    connect(socket, &QIODevice::readyRead, this, &Http1Exchange::process);
    connect(socket, &QAbstractSocket::errorOccurred, this, &Http1Exchange::onSocketError);
    connect(socket, &QAbstractSocket::disconnected, this, &Http1Exchange::onSocketError);
}

void Http1Exchange::sendRequest()
{
    if (m_phase != Phase::Pending && m_phase != Phase::Connecting)
        return;
    m_connection->beginRequest();
    m_phase = Phase::AwaitingHead;
    m_sentAt.start();
    m_connection->socket()->write(m_wire);
    armTimer();
}

void Http1Exchange::onSocketError()
{
    if (m_phase == Phase::Finished || !m_connection)
        return;
    QAbstractSocket *socket = m_connection->socket();
    if (m_phase == Phase::Connecting || m_phase == Phase::Pending) {
        // A refused certificate is named in plain words ("… does not match api.example.com").
        const QString tls = TlsFailureMessage::describe(m_connection->sslErrors(), m_endpoint.host);
        fail(UpstreamError::Kind::ConnectFailed,
             QStringLiteral("cannot connect to %1: %2").arg(where(), tls.isEmpty() ? socket->errorString() : tls));
        return;
    }
    if (m_eof)
        return;
    m_eof = true;
    m_socketError = socket->errorString();
    process(); // drains what is still buffered, then completes or fails (unless paused)
}

void Http1Exchange::scheduleProcess()
{
    if (m_processScheduled)
        return;
    m_processScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processScheduled = false;
            process();
        },
        Qt::QueuedConnection);
}

void Http1Exchange::process()
{
    if (m_processing || (m_phase != Phase::AwaitingHead && m_phase != Phase::Body))
        return;
    m_processing = true;
    const QPointer<Http1Exchange> self(this);
    for (;;) {
        if (!deliverPending()) {
            if (self)
                m_processing = false;
            return;
        }
        if (m_parser.hasError()) {
            m_processing = false;
            if (m_parser.truncated())
                handleEof();
            else
                fail(UpstreamError::Kind::Protocol,
                     QStringLiteral("invalid response from %1: %2").arg(where(), m_parser.errorString()));
            return;
        }
        if (m_parser.isDone()) {
            m_processing = false;
            complete();
            return;
        }
        QAbstractSocket *socket = m_connection->socket();
        const bool buffered = socket->bytesAvailable() > 0;
        if (!buffered && m_pendingBody.isEmpty() && m_eof) {
            m_processing = false;
            handleEof();
            return;
        }
        if (m_paused || !buffered)
            break;
        // Ask for no more than is buffered: read(n) allocates n bytes up front, then shrinks.
        const QByteArray raw = socket->read(qMin<qint64>(ReadChunkSize, socket->bytesAvailable()));
        if (raw.isEmpty())
            break;
        m_responseBytes += raw.size();
        const bool hadHead = m_parser.headComplete();
        m_parser.feed(raw, &m_pendingBody);
        if (!hadHead && m_parser.headComplete()) {
            m_headPending = true;
            m_phase = Phase::Body;
        }
        if (m_phase == Phase::Body)
            armTimer(); // idle timer restarts on every byte
    }
    m_processing = false;
}

bool Http1Exchange::deliverPending()
{
    const QPointer<Http1Exchange> self(this);
    if (m_headPending) {
        m_headPending = false;
        m_headEmitted = true;
        emit headReceived(m_parser.status(), m_parser.headers());
        if (!self || m_phase == Phase::Finished)
            return false;
    }
    if (!m_paused && !m_pendingBody.isEmpty()) {
        const QByteArray data = std::exchange(m_pendingBody, QByteArray());
        emit bodyReceived(data);
        if (!self || m_phase == Phase::Finished)
            return false;
    }
    return true;
}

void Http1Exchange::handleEof()
{
    m_parser.finishEof();
    if (m_parser.isDone()) { // close-delimited body
        complete();
        return;
    }
    if (m_reused && !m_retried && m_responseBytes == 0 && m_sentAt.isValid() &&
        m_sentAt.elapsed() < StaleRetryWindowMs) {
        qCDebug(lcUpstream) << "stale keep-alive connection to" << where()
                            << "closed before any response byte;"
                            << "retrying once on a fresh connection";
        m_retried = true;
        releaseConnection(false);
        m_parser = HttpResponseParser(m_request.method == "HEAD");
        m_eof = false;
        m_socketError.clear();
        openFreshConnection();
        return;
    }
    QString message = m_headEmitted
                          ? QStringLiteral("%1 closed the connection mid-response").arg(where())
                          : QStringLiteral("%1 closed the connection before the response head").arg(where());
    if (!m_socketError.isEmpty())
        message += QStringLiteral(" (%1)").arg(m_socketError);
    fail(UpstreamError::Kind::ConnectionClosed, message);
}

void Http1Exchange::complete()
{
    if (m_phase == Phase::Finished)
        return;
    m_phase = Phase::Finished;
    m_timer.stop();
    const bool reuse =
        m_parser.keepAlive() && !m_requestSaysClose && !m_eof && m_connection && m_connection->isReusable();
    releaseConnection(reuse);
    emit finished();
}

void Http1Exchange::fail(UpstreamError::Kind kind, const QString &message)
{
    if (m_phase == Phase::Finished)
        return;
    m_phase = Phase::Finished;
    m_timer.stop();
    releaseConnection(false);
    UpstreamError error;
    error.kind = kind;
    error.headReceived = m_headEmitted;
    error.message = message;
    qCDebug(lcUpstream) << "upstream exchange failed:" << message;
    emit failed(error);
}

void Http1Exchange::releaseConnection(bool reuse)
{
    UpstreamConnection *connection = std::exchange(m_connection, nullptr);
    if (!connection)
        return;
    connection->socket()->disconnect(this);
    connection->disconnect(this);
    if (reuse && m_pool)
        m_pool->release(connection);
    else
        connection->discard();
}

void Http1Exchange::armTimer()
{
    m_timer.stop();
    m_timerKind = TimerKind::None;
    if (m_paused)
        return;
    int ms = 0;
    switch (m_phase) {
    case Phase::Connecting:
        m_timerKind = TimerKind::Connect;
        ms = m_timeouts.connectMs;
        break;
    case Phase::AwaitingHead:
        m_timerKind = TimerKind::FirstByte;
        ms = m_timeouts.firstByteMs;
        break;
    case Phase::Body:
        m_timerKind = TimerKind::Idle;
        ms = m_timeouts.idleMs;
        break;
    case Phase::Pending:
    case Phase::Finished:
        break;
    }
    if (ms > 0)
        m_timer.start(ms);
    else
        m_timerKind = TimerKind::None;
}

void Http1Exchange::onTimeout()
{
    switch (m_timerKind) {
    case TimerKind::Connect:
        fail(UpstreamError::Kind::Timeout,
             QStringLiteral("connecting to %1 timed out after %2 ms").arg(where()).arg(m_timeouts.connectMs));
        return;
    case TimerKind::FirstByte:
        fail(
            UpstreamError::Kind::Timeout,
            QStringLiteral("no response head from %1 within %2 ms").arg(where()).arg(m_timeouts.firstByteMs));
        return;
    case TimerKind::Idle:
        fail(UpstreamError::Kind::Timeout,
             QStringLiteral("no data from %1 for %2 ms").arg(where()).arg(m_timeouts.idleMs));
        return;
    case TimerKind::None:
        return;
    }
}

QString Http1Exchange::where() const
{
    return QStringLiteral("%1://%2:%3").arg(m_endpoint.scheme, m_endpoint.host).arg(m_endpoint.port);
}

} // namespace Proxy
