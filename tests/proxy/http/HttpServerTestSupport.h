// SPDX-License-Identifier: MIT
#pragma once
// The fixture of the HttpServer tests (tst_httpserver, tst_httpserverlimits): the real server on
// 127.0.0.1:<ephemeral> with a handler serving a few test routes, and the checks they share.

#include "proxy/http/HttpExchange.h"
#include "proxy/http/HttpServer.h"
#include "tests/support/RawHttpClient.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTest>
#include <QTimer>

#include <memory>

namespace TestSupport {

using Proxy::HttpExchange;
using Proxy::HttpHeaders;
using Proxy::HttpLimits;
using Proxy::HttpServer;

inline HttpLimits fastLimits()
{
    HttpLimits limits;
    limits.maxBodyBytes = 64 * 1024;
    limits.maxHeaderBytes = 4096;
    limits.maxHeaderCount = 20;
    limits.headerTimeoutMs = 1500;
    limits.idleTimeoutMs = 1500;
    limits.maxConnections = 64;
    return limits;
}

inline int queryInt(const QByteArray &query, const QByteArray &key, int fallback)
{
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq > 0 && pair.left(eq) == key)
            return pair.mid(eq + 1).toInt();
    }
    return fallback;
}

/// Checks the OpenAI error envelope {"error":{"message","type","code"}}.
inline bool isErrorEnvelope(const QByteArray &body, const QString &type)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    return !error.value(QStringLiteral("message")).toString().isEmpty()
           && error.value(QStringLiteral("type")).toString() == type
           && !error.value(QStringLiteral("code")).toString().isEmpty();
}

/// Base of the HttpServer test classes. Routes: /echo (body and query back), /text ("hello"), /close
/// (Connection: close), /stream?n=&ms= (n SSE chunks, ms apart), /big (4 MiB chunk, ends on drained()),
/// /abort (a partial stream, then abort()), /hold (kept in m_held, unanswered); anything else 404.
class HttpServerFixture : public QObject
{
protected:
    void startServer(const HttpLimits &limits = fastLimits());
    /// Stops the server and forgets every count; each test class's cleanup() calls it.
    void resetServer();
    void handle(HttpExchange *exchange);
    static bool expectErrorAndClose(RawHttpClient &client, int status);

    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    int m_handled = 0;
    int m_closed = 0;
    int m_drained = 0;
    qint64 m_peakPending = 0;
    bool m_closedInsideAbort = false;
    QList<QPointer<HttpExchange>> m_held;
};

inline void HttpServerFixture::startServer(const HttpLimits &limits)
{
    m_server = std::make_unique<HttpServer>(limits, [this](HttpExchange *exchange) { handle(exchange); });
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
    QVERIFY(m_port != 0);
}

inline void HttpServerFixture::resetServer()
{
    m_server.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    m_handled = 0;
    m_closed = 0;
    m_drained = 0;
    m_peakPending = 0;
    m_closedInsideAbort = false;
    m_held.clear();
}

inline void HttpServerFixture::handle(HttpExchange *exchange)
{
    ++m_handled;
    connect(exchange, &HttpExchange::closed, this, [this] { ++m_closed; });
    const QByteArray path = exchange->request().path;
    const QByteArray query = exchange->request().query;

    if (path == "/echo") {
        HttpHeaders headers;
        headers.append("Content-Type", "application/octet-stream");
        headers.append("X-Query", query);
        exchange->respond(200, headers, exchange->request().body);
    } else if (path == "/text") {
        exchange->respond(200, {}, "hello");
    } else if (path == "/close") {
        HttpHeaders headers;
        headers.append("Connection", "close");
        exchange->respond(200, headers, "bye");
    } else if (path == "/stream") {
        const int n = queryInt(query, "n", 3);
        const int ms = queryInt(query, "ms", 10);
        HttpHeaders headers;
        headers.append("Content-Type", "text/event-stream");
        exchange->beginStream(200, headers);
        auto *timer = new QTimer(exchange);
        timer->setInterval(ms);
        connect(timer, &QTimer::timeout, exchange, [exchange, timer, n, sent = 0]() mutable {
            exchange->writeChunk("data: " + QByteArray::number(sent) + "\n\n");
            if (++sent == n) {
                timer->stop();
                exchange->endStream();
            }
        });
        timer->start();
    } else if (path == "/big") {
        exchange->beginStream(200, {});
        // Backpressure the way a relay uses it: write, wait for drained(), then go on.
        connect(exchange, &HttpExchange::drained, this, [this, exchange] {
            ++m_drained;
            exchange->endStream();
        });
        exchange->writeChunk(QByteArray(4 * 1024 * 1024, 'b'));
        m_peakPending = exchange->pendingBytes();
    } else if (path == "/abort") {
        exchange->beginStream(200, {});
        exchange->writeChunk("partial");
        const int closedBefore = m_closed;
        exchange->abort();
        m_closedInsideAbort = m_closed != closedBefore;
    } else if (path == "/hold") {
        m_held.append(exchange);
    } else {
        exchange->respond(404, {}, "not found");
    }
}

inline bool HttpServerFixture::expectErrorAndClose(RawHttpClient &client, int status)
{
    const auto response = client.readResponse();
    if (!response) {
        qWarning("no response");
        return false;
    }
    if (response->status != status) {
        qWarning("status %d, expected %d", response->status, status);
        return false;
    }
    const QString type = status == 503 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error");
    if (response->headers.value("connection") != "close" || !isErrorEnvelope(response->body, type)
        || response->headers.value("content-type") != "application/json") {
        qWarning("bad error response: %s", response->body.constData());
        return false;
    }
    return client.waitForDisconnected();
}

} // namespace TestSupport
