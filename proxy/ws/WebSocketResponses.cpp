// SPDX-License-Identifier: MIT
#include "proxy/ws/WebSocketResponses.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/RequestId.h"
#include "proxy/http/HttpExchange.h"
#include "proxy/relay/JsonBodyInspector.h"
#include "proxy/relay/JsonScanner.h"
#include "proxy/ws/WebSocketHandshake.h"
#include "proxy/ws/WebSocketSession.h"
#include "proxy/ws/WebSocketTurn.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

namespace {

/// The handshake's headers minus what only concerned the upgrade.
HttpHeaders turnHeaders(const HttpHeaders &handshake)
{
    HttpHeaders headers;
    for (const auto &[name, value] : handshake.fields()) {
        if (HttpHeaders::sameName(name, "upgrade") || HttpHeaders::sameName(name, "connection")
            || name.toLower().startsWith("sec-websocket-") || HttpHeaders::sameName(name, "content-length"))
            continue;
        headers.append(name, value);
    }
    headers.set("Content-Type", "application/json");
    headers.set("Accept", "text/event-stream");
    return headers;
}

} // namespace

WebSocketResponses::WebSocketResponses(HttpExchange *upgraded, int idleTimeoutMs, qint64 maxMessageBytes,
                                       Dispatch dispatch)
    : QObject(upgraded)
    , m_session(new WebSocketSession(upgraded, idleTimeoutMs, maxMessageBytes))
    , m_handshake(upgraded->request())
    , m_dispatch(std::move(dispatch))
{
    m_handshake.method = "POST";
    m_handshake.headers = turnHeaders(m_handshake.headers);
    m_handshake.body.clear();
    connect(m_session, &WebSocketSession::textReceived, this, &WebSocketResponses::onMessage);
    connect(m_session, &WebSocketSession::closed, this, [this] {
        if (m_turn)
            m_turn->clientClosed();
    });
}

WebSocketResponses *WebSocketResponses::accept(HttpExchange *exchange, const HttpHeaders &headers, int idleTimeoutMs,
                                qint64 maxMessageBytes, Dispatch dispatch)
{
    const HttpRequest &request = exchange->request();
    const WebSocketHandshake handshake = WebSocketHandshake::check(request.headers);
    HttpHeaders out = headers;
    if (!handshake.valid) {
        out.set("Sec-WebSocket-Version", "13");
        out.set("Content-Type", "application/json");
        exchange->respond(400, out, errorEnvelope(handshake.error, QStringLiteral("invalid_request_error"),
                                                  QStringLiteral("invalid_websocket_handshake")));
        return nullptr;
    }
    out.append("Upgrade", "websocket");
    out.append("Connection", "Upgrade");
    out.append("Sec-WebSocket-Accept", handshake.accept);
    const QByteArray turnState = request.headers.value("x-codex-turn-state");
    out.append("x-codex-turn-state", turnState.isEmpty() ? "turn_" + newRequestId() : turnState);
    exchange->upgrade(out);
    return new WebSocketResponses(exchange, idleTimeoutMs, maxMessageBytes, std::move(dispatch));
}

void WebSocketResponses::sendError(const QString &code, const QString &message, const QString &param)
{
    QJsonObject error{{QStringLiteral("message"), message},
                      {QStringLiteral("type"), QStringLiteral("invalid_request_error")},
                      {QStringLiteral("code"), code}};
    if (!param.isEmpty())
        error.insert(QStringLiteral("param"), param);
    m_session->sendReply(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                                   {QStringLiteral("status"), 400},
                                                   {QStringLiteral("error"), error}})
                             .toJson(QJsonDocument::Compact));
}

void WebSocketResponses::onMessage(const QByteArray &message)
{
    // The body is the message without its "type" member, cut out of the raw text (no re-serialisation).
    // The message is scanned as strictly as a request body: with names unique (compared decoded) there
    // is exactly one "type" to cut, and nothing else in the message can stand for it.
    QString type;
    qsizetype cutFrom = -1;
    qsizetype cutTo = -1;
    JsonScanner scanner(message, JsonScanner::Mode::Strict);
    const bool isObject = scanner.scanObject([&](const JsonMember &member) {
        if (member.name != "type")
            return;
        type = jsonStringValue(member.value);
        cutFrom = member.rawName.data() - message.constData();
        cutTo = member.value.data() + member.value.size() - message.constData();
    });
    if (!isObject) {
        const JsonRefusal &refusal = scanner.refusal();
        sendError(refusal.code, refusal.message, refusal.param);
        return;
    }
    QByteArray body = message;
    if (cutFrom >= 0) {
        qsizetype after = cutTo;
        while (after < body.size() && QChar::isSpace(uchar(body[after])))
            ++after;
        if (after < body.size() && body[after] == ',') {
            cutTo = after + 1; // "type" was followed by another member
        } else {
            qsizetype before = cutFrom - 1;
            while (before > 0 && QChar::isSpace(uchar(body[before])))
                --before;
            if (body[before] == ',')
                cutFrom = before; // "type" was the last member
        }
        body.remove(cutFrom, cutTo - cutFrom);
    }
    if (type != u"response.create") {
        sendError(QStringLiteral("unsupported_message_type"),
                  QStringLiteral("Only {\"type\":\"response.create\", ...} messages are supported (got \"%1\")").arg(type));
        return;
    }
    if (m_turn) {
        sendError(QStringLiteral("response_in_progress"),
                  QStringLiteral("A response is still in progress on this socket; wait for its terminal event"));
        return;
    }
    HttpRequest request = m_handshake;
    request.body = body;
    m_turn = new WebSocketTurn(m_session, std::move(request), this);
    m_session->setBusy(true);
    connect(m_turn, &WebSocketTurn::finished, this, [this] { m_session->setBusy(false); });
    m_dispatch(m_turn->exchange());
}

} // namespace Proxy
