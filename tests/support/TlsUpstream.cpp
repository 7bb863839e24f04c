// SPDX-License-Identifier: MIT
#include "tests/support/TlsUpstream.h"

#include <QSslConfiguration>
#include <QSslSocket>

#include <memory>

namespace TestSupport {

bool TlsUpstream::listen(const TestPki::Leaf &leaf, QString *why)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(leaf.certificate);
    configuration.setPrivateKey(leaf.key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server.setSslConfiguration(configuration);
    QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, &m_server, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
            serve(static_cast<QSslSocket *>(socket));
    });
    if (!m_server.listen(QHostAddress::LocalHost, 0)) {
        *why = m_server.errorString();
        return false;
    }
    return true;
}

QUrl TlsUpstream::baseUrl() const
{
    return QUrl(QStringLiteral("https://localhost:%1/v1").arg(m_server.serverPort()));
}

void TlsUpstream::serve(QSslSocket *socket)
{
    ++handshakes; // QSslServer hands over a socket once its handshake succeeded
    auto buffer = std::make_shared<QByteArray>();
    QObject::connect(socket, &QIODevice::readyRead, socket, [this, socket, buffer] {
        *buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer->left(end);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buffer->size() < end + 4 + length)
                return;
            buffer->remove(0, end + 4 + length);
            lastHead = head;
            ++requests;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                          + QByteArray::number(responseBody.size()) + "\r\n\r\n" + responseBody);
        }
    });
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
}

} // namespace TestSupport
