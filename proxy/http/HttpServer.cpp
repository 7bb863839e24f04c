// SPDX-License-Identifier: MIT
#include "proxy/http/HttpServer.h"

#include "proxy/http/HttpConnection.h"
#include "proxy/http/ListeningSocket.h"

#include <QTcpSocket>

#include <algorithm>
#include <memory>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <winsock2.h>
#endif

namespace Proxy {

namespace {

constexpr qint64 DescriptorReserve = 64;  ///< descriptors kept free for upstream sockets, files, 503s
constexpr int MaxRejecting = 32;          ///< beyond this many 503s in flight, close without answering
constexpr int ListenBacklog = 1024;

void closeDescriptor(qintptr descriptor)
{
#if defined(Q_OS_UNIX)
    ::close(static_cast<int>(descriptor));
#elif defined(Q_OS_WIN)
    ::closesocket(static_cast<SOCKET>(descriptor));
#endif
}

/// Raises the RLIMIT_NOFILE soft limit toward the hard limit; returns the soft limit (0 = unknown).
qint64 raiseDescriptorLimit()
{
#if defined(Q_OS_UNIX)
    constexpr rlim_t WantedDescriptors = 1 << 20;
    rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    if (rl.rlim_cur != RLIM_INFINITY && (rl.rlim_max == RLIM_INFINITY || rl.rlim_cur < rl.rlim_max)) {
        const rlim_t hard = rl.rlim_max == RLIM_INFINITY ? WantedDescriptors : rl.rlim_max;
        for (rlim_t want : {std::min(hard, WantedDescriptors), std::min<rlim_t>(hard, 65536)}) {
            if (want <= rl.rlim_cur)
                break;
            rlimit raised = rl;
            raised.rlim_cur = want;
            if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
                rl = raised;
                break;
            }
        }
    }
    return rl.rlim_cur == RLIM_INFINITY ? std::numeric_limits<qint64>::max() : static_cast<qint64>(rl.rlim_cur);
#else
    return 0;
#endif
}

} // namespace

HttpServer::HttpServer(const HttpLimits &limits, Handler handler, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_handler(std::move(handler))
{
    updateConnectionCap();
}

HttpServer::~HttpServer()
{
    m_accepting = false;
    if (m_listener)
        m_listener->close();
    m_connections.clear();
    const QList<HttpConnection *> connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *connection : connections)
        connection->detachServer(); // includes 503 answers still closing
    // Children (connections, rejected connections, listener) are deleted by ~QObject; a connection
    // with an unfinished exchange emits its closed() from its destructor.
}

ListeningSocket *HttpServer::newListener()
{
    auto *listener = new ListeningSocket([this](qintptr descriptor) { handleIncoming(descriptor); }, this);
    listener->setListenBacklogSize(ListenBacklog);
    return listener;
}

void HttpServer::noteListenError(const QHostAddress &address, quint16 port, const QString &reason)
{
    m_listenError =
        QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(reason);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_listener)
        m_listener = newListener();
    const qint64 soft = raiseDescriptorLimit();
    m_descriptorCap = soft > 0 ? std::max<qint64>(1, soft - DescriptorReserve) : 0;
    updateConnectionCap();
    if (!m_listener->listen(address, port)) {
        noteListenError(address, port, m_listener->errorString());
        return false;
    }
    m_accepting = true;
    return true;
}

bool HttpServer::moveListener(const QHostAddress &address, quint16 port)
{
    Q_ASSERT(m_listener && m_accepting);
    std::unique_ptr<ListeningSocket> next(newListener());
    bool moved = next->listen(address, port);
    if (!moved && port != 0 && port == serverPort()) {
        const QHostAddress previous = serverAddress();
        m_listener->close();
        moved = next->listen(address, port);
        if (!moved && !m_listener->listen(previous, port))
            m_accepting = false; // the port was taken in between: nothing listens any more
    }
    if (!moved) {
        noteListenError(address, port, next->errorString());
        return false;
    }
    delete m_listener; // connections it accepted live on: they are our children, not its
    m_listener = next.release();
    return true;
}

QString HttpServer::hostPort() const
{
    const QHostAddress address = serverAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(serverPort());
}

bool HttpServer::isListening() const
{
    return m_accepting && m_listener && m_listener->isListening();
}

QString HttpServer::errorString() const
{
    return m_listener ? m_listener->errorString() : QString();
}

quint16 HttpServer::serverPort() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QHostAddress HttpServer::serverAddress() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

void HttpServer::setLimits(const HttpLimits &limits)
{
    m_limits = limits;
    updateConnectionCap();
}

void HttpServer::updateConnectionCap()
{
    qint64 cap = std::max(1, m_limits.maxConnections);
    if (m_descriptorCap > 0)
        cap = std::min(cap, m_descriptorCap);
    m_connectionCap = static_cast<int>(cap);
}

void HttpServer::stopAccepting()
{
    m_accepting = false;
    if (m_listener)
        m_listener->close();
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeIfIdle();
}

void HttpServer::closeAll()
{
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abortNow();
}

int HttpServer::connectionCount() const
{
    return static_cast<int>(m_connections.size());
}

int HttpServer::inFlightCount() const
{
    return m_inFlight;
}

void HttpServer::handleIncoming(qintptr socketDescriptor)
{
    const bool overCap = m_connections.size() >= m_connectionCap;
    if (!m_accepting || (overCap && m_rejecting >= MaxRejecting)) {
        closeDescriptor(socketDescriptor); // never hold descriptors we cannot serve
        return;
    }
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        closeDescriptor(socketDescriptor);
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *connection = new HttpConnection(socket, this, m_limits);
    if (overCap) {
        ++m_rejecting;
        connection->rejectBusy();
        return;
    }
    connectionOpened(connection);
    connection->start();
}

void HttpServer::connectionOpened(HttpConnection *connection)
{
    m_connections.append(connection);
}

void HttpServer::connectionClosed(HttpConnection *connection)
{
    if (connection->isRejected())
        --m_rejecting;
    else
        m_connections.removeOne(connection);
}

void HttpServer::exchangeStarted()
{
    ++m_inFlight;
}

void HttpServer::exchangeFinished()
{
    if (--m_inFlight > 0 || m_idleQueued)
        return;
    // Queued: a slot that deletes the server must not run inside a connection's call stack.
    m_idleQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_idleQueued = false;
            if (m_inFlight == 0)
                emit becameIdle();
        },
        Qt::QueuedConnection);
}

} // namespace Proxy
