// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpSocket>

#include <optional>

namespace TestSupport {

/// A raw HTTP/1.1 client on a QTcpSocket for front-end tests: sends exact bytes, parses responses
/// (Content-Length, chunked with a tiny decoder, or close-delimited) and waits with the event loop
/// running, so a server in the same thread keeps working.
class RawHttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RawHttpClient)

public:
    struct Response
    {
        QByteArray statusLine;
        int status = 0;
        Proxy::HttpHeaders headers;
        QByteArray body;             ///< decoded
        QList<QByteArray> chunks;    ///< chunk payloads as framed (chunked responses only)
        bool chunked = false;
        bool closeDelimited = false;
    };

    explicit RawHttpClient(QObject *parent = nullptr);
    ~RawHttpClient() override;

    bool connectTo(quint16 port, int timeoutMs = 2000);
    void send(const QByteArray &bytes);
    /// Waits for one complete response and consumes it from the buffer. @p headRequest: no body.
    std::optional<Response> readResponse(int timeoutMs = 2000, bool headRequest = false);
    /// Waits until the buffer holds at least @p n unconsumed bytes.
    bool waitForBytes(qsizetype n, int timeoutMs = 2000);
    /// Waits until the server closed the connection (EOF seen).
    bool waitForDisconnected(int timeoutMs = 2000);
    /// True when nothing arrives and the connection stays open for @p ms.
    bool staysSilent(int ms);

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QByteArray buffer() const { return m_buffer; }
    void clearBuffer() { m_buffer.clear(); }
    QTcpSocket &socket() { return m_socket; }

    /// Parses one response from the front of @p buffer; removes it when complete.
    static std::optional<Response> takeResponse(QByteArray &buffer, bool closed, bool headRequest);

private:
    void pump();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_disconnected = false;
};

} // namespace TestSupport
