// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"
#include "proxy/http/HttpHeaders.h"
#include "proxy/metrics/RelayObserver.h"
#include "proxy/relay/RecordSink.h"
#include "proxy/relay/RequestRecord.h"
#include "proxy/relay/ResponseTransform.h"
#include "proxy/relay/UpstreamErrorEnvelope.h"
#include "proxy/relay/UpstreamFailure.h"
#include "proxy/routing/AccountPool.h"
#include "proxy/upstream/UpstreamExchange.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace Proxy {

class HttpExchange;
class TokenRefreshGate;
class UpstreamClient;

/// Chooses the account for a Responses request and fails over while nothing has reached the
/// client yet: a connection failure or timeout before the head, a 429, a 5xx, or a 401 (after one
/// token refresh and retry on the same account when the account is refreshable) makes it try the
/// next eligible account — at most MaxAccounts accounts, none twice; so does a head Keygate refuses to
/// relay (a redirect, an encoded body: UpstreamFailure::refusedHead). A failed attempt's head and
/// body are never forwarded; when no account is left the client gets the last upstream answer's
/// status and reason as an UpstreamErrorEnvelope (or the last UpstreamFailure's 502/504, or no_accounts when none could be chosen at all).
/// The first acceptable head is handed to a ResponsesRelay, which streams it: from then on a
/// failure is a `response.failed` event, never a replay (or, for a compaction or a non-streaming
/// request to a codex-kind account, to a CollectingRelay, which answers one JSON object). A codex-kind
/// account gets the body CodexBody made fit for the ChatGPT backend; an OpenAI-kind one the client's.
/// Lives on the proxy thread as a child of the client's exchange. A client that hangs up while an attempt is in flight does not end it: the
/// relay moves to Services::drains and waits (bounded) for the head, so the relay that takes over can
/// read the real usage; without one the request is charged UsageEstimate::forClientClosed.
class FailoverRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailoverRelay)

public:
    static constexpr int MaxAccounts = 3;
    static constexpr qsizetype MaxRejectedBodyBytes = 1024 * 1024;

    /// What the client gets once an upstream head is accepted.
    enum class Delivery {
        Stream,                 ///< as the upstream answers (an SSE stream or one JSON object)
        CollectedJson,          ///< one JSON object collected from the stream (compact)
        CollectedJsonFromCodex, ///< CollectedJson from a codex-kind account (it only streams), else Stream
    };

    /// What the relay uses; all of it lives on the proxy thread and outlives the relay.
    struct Services
    {
        UpstreamClient *client = nullptr;
        AccountPool *pool = nullptr;
        TokenRefreshGate *refresh = nullptr;
        UpstreamTimeouts timeouts;
        QObject *drains = nullptr; ///< owns relays whose client hung up; null = charge the estimate at once
        RelayObserver *observer = nullptr; ///< told each upstream answer and each accepted stream; may be null
    };

    /// For a client that does not speak Responses itself: what goes upstream instead of its request,
    /// and how the accepted answer is rewritten for it (see ResponseTransform).
    struct Translation
    {
        /// The Responses request body for the chosen account's upstream.
        std::function<QByteArray(const UpstreamConfig &)> body;
        /// The client headers to filter and forward instead of the request's own.
        HttpHeaders clientHeaders;
        std::function<std::unique_ptr<ResponseTransform>()> makeTransform;
    };

    FailoverRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock, HttpHeaders responseHeaders,
                  QString stickyKey, Services services, RecordSink sink);
    ~FailoverRelay() override; ///< a drain cut short (shutdown) is charged the estimate

    void setDelivery(Delivery delivery) { m_delivery = delivery; }
    /// The request body as a codex-kind account must get it (CodexBody::normalise of the client's body);
    /// unset: the client's body. A Translation's body is normalised at each attempt instead.
    void setCodexBody(QByteArray body) { m_codexBody = std::move(body); }
    /// Call before start().
    void setTranslation(Translation translation) { m_translation = std::move(translation); }
    void start();

private:
    /// An upstream answer that made us move on; its reason goes to the client if it stays the last one.
    struct Answer
    {
        qint64 accountId = 0;
        int status = 0;
        HttpHeaders headers;
        QByteArray body;
    };

    void tryNextAccount();
    void send(const UpstreamAccount &account);
    void onHead(int status, const HttpHeaders &headers);
    void onBody(const QByteArray &data);
    void onFailed(const UpstreamError &error);
    /// The attempt failed without an answer to relay (or with one we refuse): the next account, else @p failure.
    void fail(const UpstreamFailure &failure);
    void onClientClosed();
    /// Records client_closed with the estimate (nothing reached us) and ends this relay.
    void endDrain();
    void moveOn();
    void handleUnauthorized();
    void handOver(int status, const HttpHeaders &headers);
    void giveUp(const AccountSelection &selection);
    /// The last answer as the client gets it: its reason in the OpenAI envelope, no credential in it.
    UpstreamErrorEnvelope lastAnswerEnvelope() const;
    void dropAttempt();
    void finish(int status, const HttpHeaders &headers, const QByteArray &body, qint64 accountId);

    QPointer<HttpExchange> m_exchange;
    RequestRecord m_record;
    QElapsedTimer m_clock;
    HttpHeaders m_responseHeaders;
    QString m_stickyKey;
    Services m_services;
    RecordSink m_sink;
    Delivery m_delivery = Delivery::Stream;
    std::optional<Translation> m_translation;
    std::optional<QByteArray> m_codexBody;

    UpstreamExchange *m_upstream = nullptr;
    UpstreamAccount m_account;            ///< the account of the running attempt
    std::optional<Answer> m_rejected;     ///< the running attempt's answer, being read to its end
    std::optional<Answer> m_lastAnswer;   ///< the last rejected answer (cleared by a connection failure)
    std::optional<UpstreamFailure> m_lastFailure; ///< the last failure or refused head (cleared by an answer)
    QSet<qint64> m_tried;
    QSet<qint64> m_refreshed;             ///< accounts already retried after a refresh
    qint64 m_requestBytes = 0;
    QElapsedTimer m_closedAt;             ///< valid once the client hung up
    bool m_done = false;
};

} // namespace Proxy
