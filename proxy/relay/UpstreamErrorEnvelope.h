// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonObject>

namespace Proxy {

/// An upstream error answer (status ≥ 400) rewritten as the OpenAI error envelope every client
/// understands: {"error":{"message":"upstream: <reason>","type","code","param"}}. The reason comes
/// from the common upstream shapes — OpenAI {"error":{…}}, the ChatGPT backend's {"detail":"…"} or
/// {"detail":{"message":…}}, a plain-text body, or nothing ("HTTP 502 from the upstream") — capped
/// at MaxReasonChars, control characters removed, credentials masked. The upstream's own type, code
/// and param are kept when it gave them (clients branch on codes such as context_length_exceeded);
/// otherwise the type follows the status and the code is upstream_error. Usage-limit facts
/// (resets_at, resets_in_seconds, plan_type) survive so clients can tell when to come back.
/// Used by HTTP (FailoverRelay, UpstreamErrorTransform) and, through them, by WebSocket turns.
class UpstreamErrorEnvelope
{
public:
    static constexpr qsizetype MaxReasonChars = 500;

    /// @p secrets: exact strings (our upstream credential, the client's key) never to repeat.
    UpstreamErrorEnvelope(int status, const QByteArray &body, const QByteArrayList &secrets = {});

    /// The upstream refused the account's own credential (a 401 that survived a refresh): the client
    /// did nothing wrong, so it gets 502 `server_error` / `upstream_auth_failed`, not a 401 it would
    /// read as "your key is bad"; the reason stays.
    void markCredentialRefused();

    int status() const { return m_status; }
    /// The inner object: message, type, code, param (and usage-limit facts).
    const QJsonObject &error() const { return m_error; }
    /// The whole envelope, compact JSON.
    QByteArray body() const;

    /// The headers to send with body(): @p returnable (already filtered) without the upstream's
    /// body description, plus Content-Type application/json (the connection sets Content-Length).
    static HttpHeaders headers(HttpHeaders returnable);
    /// The credential a client presented (Authorization bearer or x-api-key), to pass as a secret.
    static QByteArrayList clientCredentials(const HttpHeaders &requestHeaders);

private:
    int m_status;
    QJsonObject m_error;
};

} // namespace Proxy
