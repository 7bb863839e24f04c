// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/ResponseTransform.h"

#include <QByteArrayList>

namespace Proxy {

/// The answer to a request the upstream refused without failing over (a 4xx other than 401/429):
/// its body is collected (bounded) and the client gets it as an UpstreamErrorEnvelope with the
/// upstream's status and returnable headers. ResponsesRelay writes through it whenever the accepted
/// head's status is ≥ 400, whatever protocol the client speaks. Proxy thread.
class UpstreamErrorTransform final : public ResponseTransform
{
public:
    static constexpr qsizetype MaxBodyBytes = 64 * 1024;

    /// @p secrets: see UpstreamErrorEnvelope.
    explicit UpstreamErrorTransform(QByteArrayList secrets) : m_secrets(std::move(secrets)) {}

    void begin(HttpExchange &exchange, int upstreamStatus, const HttpHeaders &upstreamHeaders,
               HttpHeaders clientHeaders) override;
    qint64 write(HttpExchange &exchange, const QByteArray &upstreamBytes) override;
    qint64 end(HttpExchange &exchange) override;
    qint64 fail(HttpExchange &exchange, const QString &code, const QString &message) override;
    int clientStatus() const override { return m_status; }

private:
    QByteArrayList m_secrets;
    HttpHeaders m_headers;
    QByteArray m_body;
    int m_status = 0;
    bool m_ended = false;
};

} // namespace Proxy
