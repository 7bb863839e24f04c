// SPDX-License-Identifier: MIT
#include "tests/support/RawHttpClient.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTest>

namespace TestSupport {

RawHttpClient::RawHttpClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawHttpClient::pump);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        pump();
        m_disconnected = true;
    });
}

RawHttpClient::~RawHttpClient() = default;

bool RawHttpClient::connectTo(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

void RawHttpClient::pump()
{
    if (m_socket.isOpen())
        m_buffer.append(m_socket.readAll());
}

bool RawHttpClient::waitForBytes(qsizetype n, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_buffer.size() >= n; }, timeoutMs);
}

bool RawHttpClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_disconnected || m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

bool RawHttpClient::staysSilent(int ms)
{
    const qsizetype before = m_buffer.size();
    QTest::qWait(ms);
    return m_buffer.size() == before && !m_disconnected;
}

std::optional<RawHttpClient::Response> RawHttpClient::readResponse(int timeoutMs, bool headRequest)
{
    std::optional<Response> response;
    const bool found = QTest::qWaitFor(
        [&] {
            response = takeResponse(m_buffer, m_disconnected, headRequest);
            return response.has_value();
        },
        timeoutMs);
    return found ? response : std::nullopt;
}

std::optional<RawHttpClient::Response> RawHttpClient::takeResponse(QByteArray &buffer, bool closed, bool headRequest)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    Response r;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    r.statusLine = lines.value(0).trimmed();
    const QList<QByteArray> parts = r.statusLine.split(' ');
    if (parts.size() < 2 || !parts[0].startsWith("HTTP/1."))
        return std::nullopt;
    r.status = parts[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.append(line.left(colon), line.mid(colon + 1).trimmed());
    }
    qsizetype pos = headEnd + 4;
    const bool noBody = headRequest || (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
    if (noBody) {
        buffer.remove(0, pos);
        return r;
    }
    if (r.headers.value("transfer-encoding").toLower() == "chunked") {
        r.chunked = true;
        for (;;) {
            const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return std::nullopt;
            bool ok = false;
            const qint64 size = buffer.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok)
                return std::nullopt;
            pos = lineEnd + 2;
            if (size == 0) {
                if (buffer.mid(pos, 2) != "\r\n")
                    return std::nullopt; // (no trailers expected)
                pos += 2;
                break;
            }
            if (buffer.size() < pos + size + 2)
                return std::nullopt;
            if (buffer.mid(pos + size, 2) != "\r\n")
                return std::nullopt;
            r.chunks.append(buffer.mid(pos, size));
            r.body.append(buffer.mid(pos, size));
            pos += size + 2;
        }
        buffer.remove(0, pos);
        return r;
    }
    if (r.headers.contains("content-length")) {
        const qint64 length = r.headers.value("content-length").toLongLong();
        if (buffer.size() < pos + length)
            return std::nullopt;
        r.body = buffer.mid(pos, length);
        buffer.remove(0, pos + length);
        return r;
    }
    if (!closed)
        return std::nullopt;
    r.closeDelimited = true;
    r.body = buffer.mid(pos);
    buffer.clear();
    return r;
}

} // namespace TestSupport
