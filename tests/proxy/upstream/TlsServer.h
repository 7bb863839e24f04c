// SPDX-License-Identifier: MIT
#pragma once

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>

namespace TestSupport {

/// A tiny HTTPS server with a fresh self-signed certificate for "localhost" (made with the openssl
/// CLI); answers every request with "ok" and keeps the connection open.
class TlsServer final
{
public:
    bool setUp(QString *why)
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty() || !QSslSocket::supportsSsl() || !m_dir.isValid()) {
            *why = QStringLiteral("needs the openssl CLI and a TLS backend");
            return false;
        }
        const QString key = m_dir.filePath(QStringLiteral("key.pem"));
        const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
        QProcess p;
        p.start(openssl,
                {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                 QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                 QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                 QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
                 QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                 QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost")});
        if (!p.waitForFinished(20'000) || p.exitCode() != 0) {
            *why = QStringLiteral("openssl req failed: %1")
                       .arg(QString::fromLocal8Bit(p.readAllStandardError()));
            return false;
        }
        QFile certFile(cert);
        QFile keyFile(key);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *why = QStringLiteral("cannot read the generated certificate");
            return false;
        }
        m_cert = QSslCertificate(&certFile, QSsl::Pem);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_cert);
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Ec, QSsl::Pem));
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(config);
        QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                auto *buffer = new QByteArray;
                QObject::connect(socket, &QObject::destroyed, socket, [buffer] { delete buffer; });
                QObject::connect(socket, &QIODevice::readyRead, socket, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    qsizetype end;
                    while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                        buffer->remove(0, end + 4);
                        ++requests;
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    }
                });
                QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0)) {
            *why = m_server.errorString();
            return false;
        }
        return true;
    }

    QUrl url() const
    {
        return QUrl(QStringLiteral("https://localhost:%1/v1/models").arg(m_server.serverPort()));
    }
    const QSslCertificate &certificate() const { return m_cert; }

    int connections = 0;
    int requests = 0;

private:
    QTemporaryDir m_dir;
    QSslServer m_server;
    QSslCertificate m_cert;
};

} // namespace TestSupport
