// SPDX-License-Identifier: MIT
// A minimal, fast upstream for the wrk benchmarks: answers every POST with a small JSON response,
// or, when the body has "stream":true, with a Responses API SSE stream (chunked). A body field
// "bench_delay_ms": N spaces the SSE events N ms apart (for the concurrent-streams memory run).
#include <QCoreApplication>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>

namespace {

const QByteArray JsonBody =
    R"({"id":"resp_bench","object":"response","status":"completed","model":"gpt-5.4","output":[],)"
    R"("usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":5,)"
    R"("output_tokens_details":{"reasoning_tokens":0},"total_tokens":17}})";

QList<QByteArray> sseEvents()
{
    QList<QByteArray> events;
    events << "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_bench\"}}\n\n";
    for (int i = 0; i < 8; ++i)
        events << "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"tok"
                      + QByteArray::number(i) + " \"}\n\n";
    events << "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":" + JsonBody + "}\n\n";
    return events;
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

class Connection final : public QObject
{
public:
    explicit Connection(QTcpSocket *socket) : QObject(socket), m_socket(socket)
    {
        connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

private:
    void onReadyRead()
    {
        m_buffer += m_socket->readAll();
        for (;;) {
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            qsizetype length = 0;
            const QByteArray head = m_buffer.left(headEnd).toLower();
            const qsizetype cl = head.indexOf("content-length:");
            if (cl >= 0)
                length = head.mid(cl + 15, head.indexOf('\r', cl) - cl - 15).trimmed().toLongLong();
            if (m_buffer.size() < headEnd + 4 + length)
                return;
            const QByteArray body = m_buffer.mid(headEnd + 4, length);
            m_buffer.remove(0, headEnd + 4 + length);
            respond(body);
        }
    }

    void respond(const QByteArray &body)
    {
        if (!body.contains("\"stream\":true")) {
            m_socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + QByteArray::number(JsonBody.size()) + "\r\n\r\n" + JsonBody);
            return;
        }
        m_socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        int delay = 0;
        const qsizetype at = body.indexOf("\"bench_delay_ms\":");
        if (at >= 0)
            delay = body.mid(at + 17, 6).toInt();
        const QList<QByteArray> events = sseEvents();
        if (delay <= 0) {
            QByteArray all;
            for (const QByteArray &event : events)
                all += chunk(event);
            m_socket->write(all + "0\r\n\r\n");
            return;
        }
        auto *timer = new QTimer(this);
        auto index = std::make_shared<int>(0);
        connect(timer, &QTimer::timeout, this, [this, timer, index, events] {
            if (*index < events.size()) {
                m_socket->write(chunk(events[(*index)++]));
                return;
            }
            m_socket->write("0\r\n\r\n");
            timer->deleteLater();
        });
        timer->start(delay);
    }

    QTcpSocket *m_socket;
    QByteArray m_buffer;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const quint16 port = argc > 1 ? quint16(QByteArray(argv[1]).toUInt()) : 18080;
    QTcpServer server;
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&server] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            new Connection(socket);
        }
    });
    server.setMaxPendingConnections(4096);
    if (!server.listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "bench_upstream: cannot listen on %u\n", port);
        return 1;
    }
    std::printf("bench_upstream listening on %u\n", port);
    std::fflush(stdout);
    return app.exec();
}
