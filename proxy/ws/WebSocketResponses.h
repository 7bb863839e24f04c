// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"
#include "proxy/http/HttpRequest.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace Proxy {

class HttpExchange;
class WebSocketSession;
class WebSocketTurn;

/// The Responses API over a WebSocket (what the Codex CLI and pi-ai try first): each
/// `{"type":"response.create", …body}` message becomes a POST of that body to the handshake's path
/// with the handshake's headers, handed to @p dispatch like any request from a socket — so auth,
/// key policy, the relay, usage and the request log are exactly those of HTTP, one row per turn.
/// One turn at a time; a message while one runs, or of another type, gets an `error` event.
/// Lives on the proxy thread as a child of the upgraded exchange.
class WebSocketResponses final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketResponses)

public:
    using Dispatch = std::function<void(HttpExchange *turn)>;

    WebSocketResponses(HttpExchange *upgraded, int idleTimeoutMs, qint64 maxMessageBytes, Dispatch dispatch);

    /// Answers a handshake that passed auth: 400 in the OpenAI envelope when it is not a valid RFC 6455
    /// upgrade, else 101 with @p headers (and the client's `x-codex-turn-state`, or a new one, as
    /// codex-lb hands back for its affinity) and a WebSocketResponses on the upgraded exchange, which
    /// is returned (null after a 400); it lives as long as the WebSocket.
    static WebSocketResponses *accept(HttpExchange *exchange, const HttpHeaders &headers, int idleTimeoutMs, qint64 maxMessageBytes,
                       Dispatch dispatch);

private:
    void onMessage(const QByteArray &message);
    void sendError(const QString &code, const QString &message, const QString &param = {});

    WebSocketSession *m_session;
    HttpRequest m_handshake;
    QPointer<WebSocketTurn> m_turn;
    Dispatch m_dispatch;
};

} // namespace Proxy
