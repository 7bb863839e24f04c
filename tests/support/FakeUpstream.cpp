// SPDX-License-Identifier: MIT
#include "FakeUpstream.h"
#include "ChatGptBackendRules.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

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

/// One accepted connection of a FakeUpstream; same thread as its owner.
class FakeUpstreamConnection final : public QObject
{
public:
    FakeUpstreamConnection(FakeUpstream *owner, QTcpSocket *socket, int id)
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
        });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { onDisconnected(); });
    }

    int id() const { return m_id; }
    void abortNow() { m_socket->abort(); }

private:
    void parseNext()
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
        if (m_reply.headDelayMs > 0)
            QTimer::singleShot(m_reply.headDelayMs, this, [this] { writeHead(); });
        else
            writeHead();
    }

    bool isChunked() const { return !m_reply.events.isEmpty() || m_reply.chunked; }

    void writeHead()
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

    void nextEvent()
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

    void pumpHuge()
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

    void finishResponse()
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

    void closeOnPurpose()
    {
        if (m_requestIndex >= 0)
            m_owner->markResponseDone(m_requestIndex);
        m_closing = true;
        m_socket->disconnectFromHost(); // flushes what was written, then FIN
    }

    void onDisconnected()
    {
        const bool midResponse = m_responding && !m_closing;
        m_closing = true;
        m_hugeActive = false;
        m_owner->onConnectionClosed(this, midResponse);
    }

    FakeUpstream *m_owner;
    QTcpSocket *m_socket;
    int m_id;
    QByteArray m_in;
    FakeUpstream::Reply m_reply;
    int m_requestIndex = -1;
    int m_nextEvent = 0;
    qint64 m_hugeSent = 0;
    bool m_responding = false;
    bool m_closeAfter = false;
    bool m_closing = false;
    bool m_hugeActive = false;
    bool m_isHead = false;
};

FakeUpstream::FakeUpstream(QObject *parent) : QObject(parent), m_server(new QTcpServer(this))
{
    m_defaultReply =
        Reply::json(QJsonObject{{QStringLiteral("error"),
                                 QJsonObject{{QStringLiteral("message"), QStringLiteral("no reply scripted")},
                                             {QStringLiteral("type"), QStringLiteral("not_found")}}}},
                    404);
    m_server->setMaxPendingConnections(1024);
    m_server->setListenBacklogSize(1024);
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            auto *connection = new FakeUpstreamConnection(this, socket, ++m_connectionCount);
            m_connections.append(connection);
        }
    });
    const bool ok = m_server->listen(QHostAddress::LocalHost, 0);
    Q_ASSERT_X(ok, "FakeUpstream", "listen on 127.0.0.1 failed");
    Q_UNUSED(ok)
}

FakeUpstream::~FakeUpstream()
{
    // Children (server, connections, sockets) go with us; no signals to the outside any more.
    blockSignals(true);
}

quint16 FakeUpstream::port() const
{
    return m_server->serverPort();
}

QUrl FakeUpstream::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

void FakeUpstream::setReply(const QByteArray &path, const Reply &reply)
{
    m_replies.insert(path, reply);
}

void FakeUpstream::setDefaultReply(const Reply &reply)
{
    m_defaultReply = reply;
}

void FakeUpstream::enqueueReply(const QByteArray &path, const Reply &reply)
{
    m_queued[path].append(reply);
}

void FakeUpstream::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

int FakeUpstream::openConnectionCount() const
{
    return int(m_connections.size());
}

void FakeUpstream::closeAllConnections()
{
    const auto connections = m_connections;
    for (FakeUpstreamConnection *c : connections)
        c->abortNow();
}

qint64 FakeUpstream::clockMs()
{
    QElapsedTimer t;
    t.start();
    return t.msecsSinceReference();
}

FakeUpstream::Reply FakeUpstream::replyFor(const Request &request)
{
    if (std::optional<Reply> refusal = m_chatGptRules ? chatGptBackendRefusal(request) : std::nullopt) {
        ++m_chatGptRefusals;
        return *refusal;
    }
    if (m_handler)
        return m_handler(request);
    auto queued = m_queued.find(request.path);
    if (queued != m_queued.end() && !queued->isEmpty())
        return queued->takeFirst();
    const auto it = m_replies.constFind(request.path);
    if (it != m_replies.constEnd())
        return *it;
    return m_defaultReply;
}

int FakeUpstream::recordRequest(const Request &request)
{
    m_requests.append(request);
    const int index = int(m_requests.size()) - 1;
    emit requestReceived(index);
    return index;
}

void FakeUpstream::markResponseDone(int index)
{
    if (index >= 0 && index < m_requests.size() && m_requests.at(index).responseDoneAtMs < 0)
        m_requests[index].responseDoneAtMs = clockMs();
}

void FakeUpstream::onConnectionClosed(FakeUpstreamConnection *connection, bool midResponse)
{
    m_connections.removeOne(connection);
    const int id = connection->id();
    connection->deleteLater();
    if (midResponse) {
        ++m_clientDisconnects;
        emit clientDisconnected();
    }
    emit connectionClosed(id);
}

FakeUpstream::Reply FakeUpstream::Reply::json(const QJsonObject &object, int status)
{
    Reply r;
    r.status = status;
    r.headers.append("Content-Type", "application/json");
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

FakeUpstream::Reply FakeUpstream::Reply::sse(const QList<QByteArray> &events, int eventDelayMs)
{
    Reply r;
    r.headers.append("Content-Type", "text/event-stream");
    r.headers.append("Cache-Control", "no-cache");
    r.events = events;
    r.eventDelayMs = eventDelayMs;
    r.chunked = true;
    return r;
}

FakeUpstream::Reply FakeUpstream::Reply::stalled()
{
    Reply r;
    r.stall = true;
    return r;
}

FakeUpstream::Reply FakeUpstream::Reply::huge(qint64 bytes)
{
    Reply r;
    r.headers.append("Content-Type", "application/octet-stream");
    r.hugeBodyBytes = bytes;
    return r;
}

QByteArray FakeUpstream::sseEvent(const QByteArray &type, const QJsonObject &data)
{
    return "event: " + type + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

QList<QByteArray> FakeUpstream::responsesStream(const QString &model, const QStringList &deltas,
                                                const Usage &usage, const QString &responseId)
{
    const QString itemId = QStringLiteral("msg_fake_1");
    const qint64 createdAt = 1'700'000'000;
    int seq = 0;
    QList<QByteArray> out;
    auto emitEvent = [&](const char *type, QJsonObject data) {
        const QString typeName = QString::fromLatin1(type);
        data.insert(QStringLiteral("type"), typeName);
        data.insert(QStringLiteral("sequence_number"), seq++);
        out.append(sseEvent(QByteArray(type), data));
    };
    auto response = [&](const QString &status, const QJsonArray &output, const QJsonValue &usageValue) {
        return QJsonObject{
            {QStringLiteral("id"), responseId},        {QStringLiteral("object"), QStringLiteral("response")},
            {QStringLiteral("created_at"), createdAt}, {QStringLiteral("status"), status},
            {QStringLiteral("model"), model},          {QStringLiteral("output"), output},
            {QStringLiteral("usage"), usageValue}};
    };

    emitEvent("response.created",
              {{QStringLiteral("response"), response(QStringLiteral("in_progress"), {}, QJsonValue())}});
    emitEvent("response.output_item.added",
              {{QStringLiteral("output_index"), 0},
               {QStringLiteral("item"), QJsonObject{{QStringLiteral("id"), itemId},
                                                    {QStringLiteral("type"), QStringLiteral("message")},
                                                    {QStringLiteral("status"), QStringLiteral("in_progress")},
                                                    {QStringLiteral("role"), QStringLiteral("assistant")},
                                                    {QStringLiteral("content"), QJsonArray()}}}});
    emitEvent("response.content_part.added",
              {{QStringLiteral("item_id"), itemId},
               {QStringLiteral("output_index"), 0},
               {QStringLiteral("content_index"), 0},
               {QStringLiteral("part"), QJsonObject{{QStringLiteral("type"), QStringLiteral("output_text")},
                                                    {QStringLiteral("text"), QString()},
                                                    {QStringLiteral("annotations"), QJsonArray()}}}});
    for (const QString &delta : deltas)
        emitEvent("response.output_text.delta", {{QStringLiteral("item_id"), itemId},
                                                 {QStringLiteral("output_index"), 0},
                                                 {QStringLiteral("content_index"), 0},
                                                 {QStringLiteral("delta"), delta}});
    const QJsonObject item{{QStringLiteral("id"), itemId},
                           {QStringLiteral("type"), QStringLiteral("message")},
                           {QStringLiteral("status"), QStringLiteral("completed")},
                           {QStringLiteral("role"), QStringLiteral("assistant")},
                           {QStringLiteral("content"),
                            QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("output_text")},
                                                   {QStringLiteral("text"), deltas.join(QString())},
                                                   {QStringLiteral("annotations"), QJsonArray()}}}}};
    emitEvent("response.output_item.done",
              {{QStringLiteral("output_index"), 0}, {QStringLiteral("item"), item}});
    const QJsonObject usageObject{{QStringLiteral("input_tokens"), usage.input},
                                  {QStringLiteral("input_tokens_details"),
                                   QJsonObject{{QStringLiteral("cached_tokens"), usage.cached}}},
                                  {QStringLiteral("output_tokens"), usage.output},
                                  {QStringLiteral("output_tokens_details"),
                                   QJsonObject{{QStringLiteral("reasoning_tokens"), usage.reasoning}}},
                                  {QStringLiteral("total_tokens"), usage.total}};
    emitEvent("response.completed", {{QStringLiteral("response"),
                                      response(QStringLiteral("completed"), QJsonArray{item}, usageObject)}});
    return out;
}

} // namespace Proxy
