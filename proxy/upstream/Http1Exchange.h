// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/upstream/HttpResponseParser.h"
#include "proxy/upstream/UpstreamConnection.h"
#include "proxy/upstream/UpstreamExchange.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

namespace Proxy {

class UpstreamConnectionPool;

/// The UpstreamExchange of UpstreamClient: one HTTP/1.1 request on a pooled or fresh connection.
/// Lives on the proxy thread. Starts on the next event-loop turn, so every signal (including an
/// immediate failure) comes after send() returned.
///
/// Stale keep-alive connections: a request sent on a *reused* connection that is closed or reset
/// before a single response byte arrived, within StaleRetryWindowMs of sending, is sent again once
/// on a fresh connection. That is the usual client behaviour (browsers, curl) and is needed
/// because a server may close an idle connection just as we reuse it. For a non-idempotent POST
/// it is safe only in that narrow case: a server that closes without answering right after
/// receiving the request has (by convention) not processed it.
class Http1Exchange final : public UpstreamExchange
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Http1Exchange)

public:
    static constexpr int StaleRetryWindowMs = 2'000;
    /// Most bytes taken from the socket per read (and so per bodyReceived).
    static constexpr qint64 ReadChunkSize = 64 * 1024;

    Http1Exchange(UpstreamConnectionPool *pool, const UpstreamRequest &request,
                  const UpstreamTimeouts &timeouts, QObject *parent);
    ~Http1Exchange() override;

    void pause() override;
    void resume() override;
    void abort() override;

    /// The request head and body as written to the socket; empty with @p error set when the
    /// request cannot be sent (bad URL, method or header).
    static QByteArray serializeRequest(const UpstreamRequest &request, QString *error);
    /// The pool key for @p url, or an endpoint with an empty scheme when unsupported.
    static UpstreamEndpoint endpointFor(const QUrl &url);

private:
    enum class Phase
    {
        Pending,
        Connecting,
        AwaitingHead,
        Body,
        Finished
    };
    enum class TimerKind
    {
        None,
        Connect,
        FirstByte,
        Idle
    };

    void start();
    void useConnection(UpstreamConnection *connection);
    void openFreshConnection();
    void sendRequest();
    void onSocketError();
    void scheduleProcess();
    void process();
    bool deliverPending();
    void handleEof();
    void complete();
    void fail(UpstreamError::Kind kind, const QString &message);
    void releaseConnection(bool reuse);
    void armTimer();
    void onTimeout();
    QString where() const;

    QPointer<UpstreamConnectionPool> m_pool;
    UpstreamRequest m_request;
    UpstreamTimeouts m_timeouts;
    UpstreamEndpoint m_endpoint;
    QByteArray m_wire;
    UpstreamConnection *m_connection = nullptr;
    HttpResponseParser m_parser;
    QTimer m_timer;
    TimerKind m_timerKind = TimerKind::None;
    QElapsedTimer m_sentAt;
    QByteArray m_pendingBody;
    QString m_socketError;
    qint64 m_responseBytes = 0;
    Phase m_phase = Phase::Pending;
    bool m_reused = false;
    bool m_retried = false;
    bool m_paused = false;
    bool m_eof = false;
    bool m_headPending = false;
    bool m_headEmitted = false;
    bool m_processing = false;
    bool m_processScheduled = false;
    bool m_requestSaysClose = false;
};

} // namespace Proxy
