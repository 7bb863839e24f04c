// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"
#include "proxy/http/HttpRequest.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <optional>

namespace Proxy {

class HttpConnection;
class HttpExchange;
class ListeningSocket;

/// Hardened HTTP/1.1 front end (our own parser; stock QHttpServer 6.4 drops headers, has no limits,
/// timeouts, 100-continue or Connection: close). Lives on the proxy thread, which must create it.
/// Every complete, valid request is passed to the handler; bad input is answered here (400/408/411/
/// 413/431/501/503/505 in the OpenAI error envelope) and the connection closed.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    using Handler = std::function<void(HttpExchange *)>;

    /// The whole answer to a request refused from its head alone.
    struct HeadRefusal
    {
        int status = 403;
        HttpHeaders headers;
        QByteArray body;
    };
    /// Asked once a request's head is complete while its body has not all arrived (@p head has no
    /// body yet): nullopt lets the body be read (and `100 Continue` sent when asked for); a refusal is
    /// answered at once, without `100 Continue`, the body is never read and the connection closes.
    /// A request that arrives whole is handed to the handler, which decides the same way.
    using HeadCheck = std::function<std::optional<HeadRefusal>(const HttpRequest &head)>;

    HttpServer(const HttpLimits &limits, Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    /// Listens on @p address:@p port instead, opening the new socket before closing the old one, so a
    /// failure (the port is taken) leaves the server listening where it was; listenError() says why.
    /// Only a move to the same port on another address closes the old socket first (it holds the
    /// port) and reopens it when the new address fails.
    bool moveListener(const QHostAddress &address, quint16 port);
    QString errorString() const;
    /// "cannot listen on HOST:PORT: <reason>" after a failed listen() or moveListener().
    QString listenError() const { return m_listenError; }
    /// "127.0.0.1:2455" or "[::1]:2455" while listening.
    QString hostPort() const;
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;

    void setLimits(const HttpLimits &limits); ///< applies to new requests
    void setHeadCheck(HeadCheck check) { m_headCheck = std::move(check); }
    /// Closes the listening socket and every idle connection; in-flight responses go on.
    void stopAccepting();
    /// Aborts every connection at once.
    void closeAll();
    int connectionCount() const;
    int inFlightCount() const; ///< requests handed to the handler whose response has not finished

signals:
    /// inFlightCount() dropped to zero.
    void becameIdle();

private:
    // implementation detail of the front end
    friend class HttpConnection;
    void connectionOpened(HttpConnection *connection);
    void connectionClosed(HttpConnection *connection);
    void exchangeStarted();
    void exchangeFinished();
    void handleIncoming(qintptr socketDescriptor);
    void updateConnectionCap();
    ListeningSocket *newListener();
    void noteListenError(const QHostAddress &address, quint16 port, const QString &reason);

    HttpLimits m_limits;
    Handler m_handler;
    HeadCheck m_headCheck;
    ListeningSocket *m_listener = nullptr;
    QString m_listenError;
    QList<HttpConnection *> m_connections;
    int m_inFlight = 0;
    bool m_accepting = false;
    qint64 m_descriptorCap = 0;  ///< RLIMIT_NOFILE soft limit − reserve, 0 = unknown
    int m_connectionCap = 0;     ///< min(maxConnections, m_descriptorCap)
    int m_rejecting = 0;         ///< 503 answers still closing (not counted in the cap)
    bool m_idleQueued = false;
};

} // namespace Proxy
