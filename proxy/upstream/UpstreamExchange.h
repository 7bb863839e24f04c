// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"

#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QUrl>

namespace Proxy {

/// A request to the upstream. The client adds Host and Content-Length itself.
struct UpstreamRequest final
{
    QByteArray method = "POST";
    QUrl url;            ///< http or https
    HttpHeaders headers; ///< sent as given (already filtered by the caller)
    QByteArray body;
    QList<QSslCertificate> caCertificates; ///< https: trusted besides the system CAs (verification stays on)
};

/// Why an upstream exchange failed.
struct UpstreamError final
{
    enum class Kind {
        ConnectFailed,    ///< refused, unreachable, DNS, TLS handshake → 502
        ConnectionClosed, ///< reset/closed before the response was complete → 502 before head
        Timeout,          ///< no head within firstByteMs → 504; mid-body idle → stream failure
        Protocol          ///< unparsable response → 502
    };
    Kind kind = Kind::ConnectFailed;
    bool headReceived = false; ///< the failure happened after headReceived() was emitted
    QString message;           ///< human-readable, never contains credentials
};

/// One HTTP/1.1 request/response to the upstream, on a pooled keep-alive connection.
/// Lives on the proxy thread. Emits headReceived once, then bodyReceived with the *decoded* body
/// bytes (chunked framing removed) as they arrive, then exactly one of finished() or failed().
/// pause()/resume() stop and restart reading from the upstream socket (backpressure: the kernel
/// buffers fill and TCP flow control slows the upstream). Deleting the exchange aborts it.
class UpstreamExchange : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamExchange)

public:
    using QObject::QObject;
    ~UpstreamExchange() override = default;

    virtual void pause() = 0;
    virtual void resume() = 0;
    /// Stops the exchange; the connection is closed, not reused. No signal follows.
    virtual void abort() = 0;

signals:
    void headReceived(int status, const Proxy::HttpHeaders &headers);
    void bodyReceived(const QByteArray &data);
    void finished();
    void failed(const Proxy::UpstreamError &error);
};

} // namespace Proxy
