// SPDX-License-Identifier: MIT
#include "FakeUpstreamConnection.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace Proxy {

namespace {

constexpr qsizetype kMaxRequestHead = 1024 * 1024;
constexpr qint64 kHugeHighWater = 256 * 1024;
constexpr qint64 kHugePiece = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

} // namespace

FakeUpstreamConnection::FakeUpstreamConnection(FakeUpstream *owner, QTcpSocket *socket, int id)
    : QObject(owner), m_owner(owner), m_socket(socket), m_id(id)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        m_in += m_socket->readAll();
        if (!m_responding)
            parseNext();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this](qint64 n) {
        m_owner->addBytesWritten(n);
        if (m_hugeActive)
            pumpHuge();
        if (m_rawRepeating)
            pumpRawRepeat();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] { onDisconnected(); });
}

void FakeUpstreamConnection::parseNext()
{
    if (m_closing)
        return;
    const qsizetype end = m_in.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_in.size() > kMaxRequestHead)
            m_socket->abort();
        return;
    }
    const QList<QByteArray> lines = m_in.left(end).split('\n');
    FakeUpstream::Request req;
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3) {
        m_socket->abort();
        return;
    }
    req.method = requestLine.at(0);
    req.target = requestLine.at(1);
    req.version = requestLine.at(2);
    const qsizetype q = req.target.indexOf('?');
    req.path = q < 0 ? req.target : req.target.left(q);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        req.headers.append(line.left(colon), line.mid(colon + 1).trimmed());
    }
    if (req.headers.value("Transfer-Encoding").toLower().contains("chunked")) {
        m_in.clear();
        m_responding = true;
        m_closeAfter = true;
        FakeUpstream::Reply r;
        r.status = 411;
        m_reply = r;
        m_requestIndex = -1;
        writeHead();
        return;
    }
    bool ok = true;
    const qint64 length = req.headers.contains("Content-Length")
                              ? req.headers.value("Content-Length").trimmed().toLongLong(&ok)
                              : 0;
    if (!ok || length < 0) {
        m_socket->abort();
        return;
    }
    if (m_in.size() < end + 4 + length)
        return; // wait for the rest of the body
    req.body = m_in.mid(end + 4, length);
    m_in.remove(0, end + 4 + length);
    req.connectionId = m_id;
    req.receivedAtMs = FakeUpstream::clockMs();

    const QByteArray connection = req.headers.value("Connection").toLower();
    m_closeAfter =
        connection.contains("close") || (req.version == "HTTP/1.0" && !connection.contains("keep-alive"));
    m_isHead = req.method == "HEAD";
    m_responding = true;
    m_nextEvent = 0;
    m_hugeSent = 0;

    m_reply = m_owner->replyFor(req);
    m_closeAfter = m_closeAfter || m_reply.closeConnection;
    QPointer<FakeUpstreamConnection> self(this);
    m_requestIndex = m_owner->recordRequest(req); // emits requestReceived
    if (!self)
        return;
    if (m_reply.stall)
        return;
    if (m_reply.dropConnection) {
        closeOnPurpose();
        return;
    }
    if (!m_reply.raw.isEmpty()) {
        nextRaw();
        return;
    }
    if (m_reply.headDelayMs > 0)
        QTimer::singleShot(m_reply.headDelayMs, this, [this] { writeHead(); });
    else
        writeHead();
}

void FakeUpstreamConnection::writeHead()
{
    if (m_closing)
        return;
    const FakeUpstream::Reply &r = m_reply;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' +
                      (r.reason.isEmpty() ? reasonPhrase(r.status) : r.reason) + "\r\n";
    for (const auto &f : r.headers.fields())
        head += f.first + ": " + f.second + "\r\n";
    const bool noBody = m_isHead || r.status == 204 || r.status == 304 || r.status < 200;
    if (!r.headers.contains("Content-Length") && !r.headers.contains("Transfer-Encoding") &&
        r.status != 204 && r.status != 304) {
        if (isChunked())
            head += "Transfer-Encoding: chunked\r\n";
        else
            head += "Content-Length: " +
                    QByteArray::number(r.hugeBodyBytes > 0 ? r.hugeBodyBytes : r.body.size()) + "\r\n";
    }
    if (m_closeAfter && !r.headers.contains("Connection"))
        head += "Connection: close\r\n";
    head += "\r\n";
    m_socket->write(head);

    if (noBody) {
        finishResponse();
    } else if (!r.events.isEmpty()) {
        nextEvent();
    } else if (r.hugeBodyBytes > 0) {
        m_hugeActive = true;
        pumpHuge();
    } else {
        if (r.chunked) {
            if (!r.body.isEmpty())
                m_socket->write(chunk(r.body));
            m_socket->write("0\r\n\r\n");
        } else {
            m_socket->write(r.body);
        }
        finishResponse();
    }
}

void FakeUpstreamConnection::nextEvent()
{
    if (m_closing)
        return;
    if (m_nextEvent == m_reply.closeAfterEvents) {
        closeOnPurpose();
        return;
    }
    if (m_nextEvent >= m_reply.events.size()) {
        if (m_reply.omitTerminalChunk) {
            closeOnPurpose();
            return;
        }
        m_socket->write("0\r\n\r\n");
        finishResponse();
        return;
    }
    QTimer::singleShot(m_reply.eventDelayMs, this, [this] {
        if (m_closing)
            return;
        m_socket->write(chunk(m_reply.events.at(m_nextEvent++)));
        nextEvent();
    });
}

void FakeUpstreamConnection::pumpHuge()
{
    if (m_closing || !m_hugeActive)
        return;
    const qint64 total = m_reply.hugeBodyBytes;
    while (m_hugeSent < total && m_socket->bytesToWrite() < kHugeHighWater) {
        if (m_reply.closeAfterBodyBytes >= 0 && m_hugeSent >= m_reply.closeAfterBodyBytes) {
            m_hugeActive = false;
            closeOnPurpose();
            return;
        }
        qint64 n = qMin(kHugePiece, total - m_hugeSent);
        if (m_reply.closeAfterBodyBytes >= 0)
            n = qMin(n, m_reply.closeAfterBodyBytes - m_hugeSent);
        QByteArray piece(n, 'x');
        for (qint64 i = 63; i < n; i += 64)
            piece[i] = '\n';
        m_socket->write(m_reply.chunked ? chunk(piece) : piece);
        m_hugeSent += n;
    }
    if (m_hugeSent >= total) {
        m_hugeActive = false;
        if (m_reply.chunked)
            m_socket->write("0\r\n\r\n");
        finishResponse();
    }
}

void FakeUpstreamConnection::nextRaw()
{
    if (m_closing)
        return;
    if (m_nextEvent >= m_reply.raw.size()) {
        if (m_reply.rawRepeatUntilBytes > m_rawSent) {
            m_rawRepeating = true;
            pumpRawRepeat();
        } else if (m_reply.closeConnection) {
            closeOnPurpose();
        }
        return;
    }
    QTimer::singleShot(m_reply.eventDelayMs, this, [this] {
        if (m_closing)
            return;
        const QByteArray &piece = m_reply.raw.at(m_nextEvent++);
        m_socket->write(piece);
        m_rawSent += piece.size();
        nextRaw();
    });
}

void FakeUpstreamConnection::pumpRawRepeat()
{
    const QByteArray &piece = m_reply.raw.constLast();
    while (!m_closing && m_rawSent < m_reply.rawRepeatUntilBytes && m_socket->bytesToWrite() < kHugeHighWater) {
        m_socket->write(piece);
        m_rawSent += piece.size();
    }
    if (m_rawSent >= m_reply.rawRepeatUntilBytes)
        m_rawRepeating = false;
}

void FakeUpstreamConnection::resetNow()
{
#ifdef Q_OS_UNIX
    const linger reset{1, 0};
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
#endif
    m_socket->abort();
}

void FakeUpstreamConnection::finishResponse()
{
    if (m_requestIndex >= 0)
        m_owner->markResponseDone(m_requestIndex);
    m_responding = false;
    m_hugeActive = false;
    if (m_closeAfter) {
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_in.isEmpty())
        QTimer::singleShot(0, this, [this] {
            if (!m_responding)
                parseNext();
        });
}

void FakeUpstreamConnection::closeOnPurpose()
{
    if (m_requestIndex >= 0)
        m_owner->markResponseDone(m_requestIndex);
    m_closing = true;
    m_socket->disconnectFromHost(); // flushes what was written, then FIN
}

void FakeUpstreamConnection::onDisconnected()
{
    const bool midResponse = m_responding && !m_closing;
    m_closing = true;
    m_hugeActive = false;
    m_rawRepeating = false;
    m_owner->onConnectionClosed(this, midResponse);
}

} // namespace Proxy
