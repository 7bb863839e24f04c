// SPDX-License-Identifier: MIT
#include "proxy/http/ResponseFramer.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/RequestId.h"

namespace Proxy {

QByteArray ResponseFramer::fixedHead(int status, const HttpHeaders &headers, bool close, qsizetype bodySize)
{
    QByteArray head = ResponseHead::build(status, headers, close);
    if (!ResponseHead::bodyForbidden(status))
        head.append("Content-Length: ").append(QByteArray::number(bodySize)).append("\r\n");
    return head.append("\r\n");
}

QByteArray ResponseFramer::beginStream(int status, const HttpHeaders &headers, bool &close, bool headRequest,
                                       bool http10)
{
    const bool noBody = ResponseHead::bodyForbidden(status) || headRequest;
    if (http10 && !noBody)
        close = true;
    QByteArray head = ResponseHead::build(status, headers, close);
    if (noBody) {
        m_mode = Mode::NoBody;
        if (!ResponseHead::bodyForbidden(status) && !http10)
            head.append("Transfer-Encoding: chunked\r\n"); // what a GET would get
    } else if (http10) {
        m_mode = Mode::CloseDelimited;
    } else {
        m_mode = Mode::Chunked;
        head.append("Transfer-Encoding: chunked\r\n");
    }
    return head.append("\r\n");
}

QByteArray ResponseFramer::beginTunnel(const HttpHeaders &headers)
{
    m_mode = Mode::Tunnel;
    QByteArray head = QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\n");
    for (const auto &[name, value] : headers.fields())
        head.append(name).append(": ").append(value).append("\r\n");
    return head.append("\r\n");
}

QByteArray ResponseFramer::refusal(int status, const QString &code, const QString &message)
{
    const QString type = status >= 500 && status != 501 && status != 505 ? QStringLiteral("server_error")
                                                                            : QStringLiteral("invalid_request_error");
    HttpHeaders headers;
    // Like every Keygate response: a request id and the (here zero) time spent on auth.
    headers.append("x-request-id", newRequestId());
    headers.append("Server-Timing", "auth;dur=0.000");
    headers.append("Content-Type", "application/json");
    const QByteArray body = errorEnvelope(message, type, code);
    return fixedHead(status, headers, true, body.size()).append(body);
}

} // namespace Proxy
