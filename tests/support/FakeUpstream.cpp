// SPDX-License-Identifier: MIT
#include "FakeUpstream.h"
#include "ChatGptBackendRules.h"
#include "FakeUpstreamConnection.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

namespace Proxy {

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

void FakeUpstream::resetAllConnections()
{
    const auto connections = m_connections;
    for (FakeUpstreamConnection *c : connections)
        c->resetNow();
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
