// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QHashFunctions>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

class QAbstractSocket;

namespace Proxy {

/// Pool key of an upstream connection: lower-case scheme and host, the effective port, and the
/// extra CAs its TLS handshake trusted, so that a connection verified against one account's company
/// CA is never handed to an account without it.
struct UpstreamEndpoint final
{
    QString scheme; ///< "http" or "https"
    QString host;
    quint16 port = 0;
    QList<QSslCertificate> caCertificates; ///< besides the system CAs; empty for most upstreams

    bool isTls() const { return scheme == u"https"; }
    friend bool operator==(const UpstreamEndpoint &a, const UpstreamEndpoint &b) = default;
};

inline size_t qHash(const UpstreamEndpoint &e, size_t seed = 0)
{
    return qHashMulti(seed, e.scheme, e.host, e.port, e.caCertificates);
}

/// One TCP (or TLS) connection to an upstream endpoint, owned either by the exchange that uses it
/// or by the pool while idle. Lives on the proxy thread. It only wraps the socket and its history;
/// exchanges and the pool connect to socket() themselves.
class UpstreamConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamConnection)

public:
    /// Read buffer of the socket: with it full, Qt stops reading and TCP flow control takes over.
    static constexpr qint64 ReadBufferSize = 64 * 1024;

    explicit UpstreamConnection(const UpstreamEndpoint &endpoint, QObject *parent = nullptr);
    ~UpstreamConnection() override;

    const UpstreamEndpoint &endpoint() const { return m_endpoint; }
    QAbstractSocket *socket() const { return m_socket; }

    /// Starts the TCP connect (and the TLS handshake for https, SNI = host). Emits ready() on
    /// success or socket()->errorOccurred() on failure.
    void open();
    /// True once the socket is connected (and encrypted for https).
    bool isReady() const { return m_ready; }

    /// Requests started on this connection so far (> 1 means it was reused).
    int requestCount() const { return m_requestCount; }
    void beginRequest() { ++m_requestCount; }

    /// Idle bookkeeping for the pool.
    void markIdle() { m_idleSince.start(); }
    qint64 idleMs() const { return m_idleSince.isValid() ? m_idleSince.elapsed() : 0; }

    /// True when the connection can carry another request right now (connected, nothing unread).
    bool isReusable() const;
    /// Closes the socket at once and deletes this object later (safe inside socket signals).
    void discard();

    /// Certificate errors of a refused TLS handshake, for the failure message (TlsFailureMessage).
    const QList<QSslError> &sslErrors() const { return m_sslErrors; }

signals:
    void ready();

private:
    UpstreamEndpoint m_endpoint;
    QAbstractSocket *m_socket;
    QElapsedTimer m_idleSince;
    QList<QSslError> m_sslErrors;
    int m_requestCount = 0;
    bool m_ready = false;
};

} // namespace Proxy
