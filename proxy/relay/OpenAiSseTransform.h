// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/OpenAiSseContract.h"
#include "proxy/relay/ResponseTransform.h"

namespace Proxy {

/// Writes a codex-kind account's accepted SSE answer to a `/v1` client through OpenAiSseContract
/// (HTTP streams and WebSocket turns alike: a turn splits what is written here into messages). An
/// answer that is not a 2xx event stream is copied unchanged. Proxy thread, owned by a ResponsesRelay.
class OpenAiSseTransform final : public ResponseTransform
{
public:
    OpenAiSseTransform(QString fallbackId, QString model) : m_contract(std::move(fallbackId), std::move(model)) {}

    void begin(HttpExchange &exchange, int upstreamStatus, const HttpHeaders &upstreamHeaders,
               HttpHeaders clientHeaders) override;
    qint64 write(HttpExchange &exchange, const QByteArray &upstreamBytes) override;
    qint64 end(HttpExchange &exchange) override;
    qint64 fail(HttpExchange &exchange, const QString &code, const QString &message) override;
    int clientStatus() const override { return m_status; }

private:
    OpenAiSseContract m_contract;
    int m_status = 0;
    bool m_rewriting = false;
    bool m_ended = false;
};

} // namespace Proxy
