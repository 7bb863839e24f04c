// SPDX-License-Identifier: MIT
#include "proxy/upstream/UpstreamConnection.h"

#include "proxy/upstream/CaBundle.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace Proxy {

UpstreamConnection::UpstreamConnection(const UpstreamEndpoint &endpoint, QObject *parent)
    : QObject(parent), m_endpoint(endpoint),
      m_socket(endpoint.isTls() ? static_cast<QAbstractSocket *>(new QSslSocket(this))
                                : static_cast<QAbstractSocket *>(new QTcpSocket(this)))
{
    m_socket->setReadBufferSize(ReadBufferSize);
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket)) {
        if (!endpoint.caCertificates.isEmpty())
            ssl->setSslConfiguration(CaBundle::configurationTrusting(endpoint.caCertificates));
        // Never ignored: the handshake fails, and the errors say why.
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
        connect(ssl, &QSslSocket::encrypted, this, [this] {
            m_ready = true;
            emit ready();
        });
    } else {
        connect(m_socket, &QAbstractSocket::connected, this, [this] {
            m_ready = true;
            emit ready();
        });
    }
    connect(m_socket, &QAbstractSocket::connected, this, [this] {
        // Small SSE events must not wait for Nagle/delayed ACK; keep-alive probes find dead peers.
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    });
}

UpstreamConnection::~UpstreamConnection() = default;

void UpstreamConnection::open()
{
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->connectToHostEncrypted(m_endpoint.host, m_endpoint.port); // verify name + SNI = host
    else
        m_socket->connectToHost(m_endpoint.host, m_endpoint.port);
}

bool UpstreamConnection::isReusable() const
{
    return m_ready && m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0;
}

void UpstreamConnection::discard()
{
    m_socket->disconnect();
    disconnect();
    m_socket->abort();
    setParent(nullptr);
    deleteLater();
}

} // namespace Proxy
