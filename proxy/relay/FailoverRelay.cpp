// SPDX-License-Identifier: MIT
#include "proxy/relay/FailoverRelay.h"

#include "proxy/ErrorEnvelope.h"
#include "proxy/http/HttpExchange.h"
#include "proxy/relay/CodexBody.h"
#include "proxy/relay/CollectingRelay.h"
#include "proxy/relay/OpenAiSseTransform.h"
#include "proxy/relay/ResponsesRelay.h"
#include "proxy/relay/UpstreamErrorEnvelope.h"
#include "proxy/relay/UpstreamFailure.h"
#include "proxy/relay/UpstreamRequestBuilder.h"
#include "proxy/relay/UsageEstimate.h"
#include "proxy/routing/RateLimitHints.h"
#include "proxy/routing/TokenRefreshGate.h"
#include "proxy/upstream/UpstreamClient.h"

#include <QJsonObject>
#include <QTimer>

namespace Proxy {

namespace {

/// Answers that another account may not give: the account's credential, quota or health.
bool failsOver(int status)
{
    return status == 401 || status == 429 || status >= 500;
}

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

} // namespace

FailoverRelay::FailoverRelay(HttpExchange *exchange, RequestRecord record, QElapsedTimer clock,
                             HttpHeaders responseHeaders, QString stickyKey, Services services, RecordSink sink)
    : QObject(exchange)
    , m_exchange(exchange)
    , m_record(std::move(record))
    , m_clock(clock)
    , m_responseHeaders(std::move(responseHeaders))
    , m_stickyKey(std::move(stickyKey))
    , m_services(services)
    , m_sink(std::move(sink))
    , m_requestBytes(exchange->request().body.size())
{
    connect(exchange, &HttpExchange::closed, this, &FailoverRelay::onClientClosed);
}

FailoverRelay::~FailoverRelay()
{
    if (!m_done && m_closedAt.isValid()) {
        m_services.drains = nullptr; // being deleted already
        dropAttempt();
        endDrain();
    }
}

void FailoverRelay::start()
{
    tryNextAccount();
}

void FailoverRelay::tryNextAccount()
{
    if (m_done)
        return;
    if (!m_exchange) { // the client left: no other account is tried for it
        endDrain();
        return;
    }
    AccountSelection selection;
    if (m_tried.size() >= MaxAccounts)
        selection.reason = NoAccountReason::AllTried;
    else
        selection = m_services.pool->select(m_stickyKey, m_tried, now());
    if (!selection.account) {
        giveUp(selection);
        return;
    }
    m_tried.insert(selection.account->id);
    send(*selection.account);
}

void FailoverRelay::send(const UpstreamAccount &account)
{
    m_account = account;
    m_rejected.reset();
    const HttpRequest &request = m_exchange->request();
    const UpstreamRequestBuilder builder(account.upstream);
    const bool codex = account.upstream.kind == UpstreamConfig::Kind::Codex;
    UpstreamRequest upstreamRequest;
    if (m_translation) {
        const QByteArray body = m_translation->body(account.upstream);
        upstreamRequest = builder.responses(m_translation->clientHeaders, codex ? CodexBody::normalise(body).body : body);
    } else if (codex && m_codexBody) {
        HttpHeaders headers = request.headers;
        headers.set("Accept", "text/event-stream"); // the body now asks for a stream, whatever the client wants
        upstreamRequest = builder.responses(headers, *m_codexBody);
    } else {
        upstreamRequest = builder.responses(request.headers, request.body);
    }
    m_upstream = m_services.client->send(upstreamRequest, m_services.timeouts, this);
    connect(m_upstream, &UpstreamExchange::headReceived, this, &FailoverRelay::onHead);
    connect(m_upstream, &UpstreamExchange::bodyReceived, this, &FailoverRelay::onBody);
    connect(m_upstream, &UpstreamExchange::finished, this, &FailoverRelay::moveOn);
    connect(m_upstream, &UpstreamExchange::failed, this, &FailoverRelay::onFailed);
}

void FailoverRelay::onHead(int status, const HttpHeaders &headers)
{
    if (m_services.observer)
        m_services.observer->upstreamAnswered(m_account.id, status);
    m_services.pool->observeHeaders(m_account.id, headers, now());
    if (failsOver(status)) {
        // Read the refusal to its end (it is small): it is the client's answer if no account is left.
        m_rejected = Answer{m_account.id, status, headers, {}};
        return;
    }
    if (const std::optional<UpstreamFailure> refusal = UpstreamFailure::refusedHead(status, headers)) {
        fail(*refusal);
        return;
    }
    m_services.pool->reportSuccess(m_account.id);
    handOver(status, headers);
}

void FailoverRelay::onBody(const QByteArray &data)
{
    // An encoded refusal is not read: its status says enough, and we asked for identity.
    if (m_rejected && UpstreamFailure::contentCoding(m_rejected->headers).isEmpty()
        && m_rejected->body.size() + data.size() <= MaxRejectedBodyBytes)
        m_rejected->body.append(data);
}

void FailoverRelay::onFailed(const UpstreamError &error)
{
    if (m_rejected) { // the refusal was cut short: what we have of it is still the answer
        moveOn();
        return;
    }
    if (m_services.observer)
        m_services.observer->upstreamAnswered(m_account.id, 0);
    fail(UpstreamFailure::fromError(error));
}

void FailoverRelay::fail(const UpstreamFailure &failure)
{
    m_services.pool->reportFailure(m_account.id, failure.message, now());
    m_lastFailure = failure;
    m_lastAnswer.reset();
    dropAttempt();
    tryNextAccount();
}

void FailoverRelay::moveOn()
{
    if (!m_rejected)
        return;
    const Answer answer = *std::exchange(m_rejected, std::nullopt);
    dropAttempt();
    m_lastAnswer = answer;
    m_lastFailure.reset();
    if (answer.status == 401) {
        handleUnauthorized();
        return;
    }
    const QDateTime at = now();
    if (answer.status == 429)
        m_services.pool->reportRateLimited(answer.accountId, rateLimitResetAt(answer.headers, answer.body, at), at);
    else
        m_services.pool->reportFailure(answer.accountId, QStringLiteral("HTTP %1 from the upstream").arg(answer.status), at);
    tryNextAccount();
}

void FailoverRelay::handleUnauthorized()
{
    if (!m_exchange) {
        endDrain();
        return;
    }
    const qint64 id = m_account.id;
    const std::optional<UpstreamAccount> current = m_services.pool->account(id);
    if (current && current->isUsable() && !m_refreshed.contains(id)) {
        m_refreshed.insert(id);
        if (current->upstream.token != m_account.upstream.token) { // refreshed while this attempt ran
            send(*current);
            return;
        }
        if (current->refreshable) {
            m_services.refresh->await(id, this, [this, id](bool refreshed) {
                if (m_done || !m_exchange)
                    return;
                const std::optional<UpstreamAccount> account = m_services.pool->account(id);
                if (refreshed && account && account->isUsable())
                    send(*account);
                else
                    tryNextAccount();
            });
            return;
        }
    }
    // Refreshed (or not refreshable) and still refused: the credential is dead until a new one is set.
    m_services.pool->markCredentialRefused(id, QStringLiteral("HTTP 401 from the upstream"));
    tryNextAccount();
}

void FailoverRelay::handOver(int status, const HttpHeaders &headers)
{
    m_done = true;
    disconnect(m_upstream, nullptr, this, nullptr);
    if (m_exchange)
        disconnect(m_exchange, nullptr, this, nullptr);
    m_record.accountId = m_account.id;
    const int drainMs = m_services.timeouts.clientClosedDrainMs;
    const DrainPlan drain{m_services.drains,
                          m_closedAt.isValid() ? int(std::max<qint64>(0, drainMs - m_closedAt.elapsed())) : drainMs,
                          m_requestBytes};
    const bool codex = m_account.upstream.kind == UpstreamConfig::Kind::Codex;
    const bool collect = m_delivery == Delivery::CollectedJson || (m_delivery == Delivery::CollectedJsonFromCodex && codex);
    if (collect) {
        auto *relay = new CollectingRelay(m_exchange, m_record, m_clock, m_responseHeaders, m_sink);
        relay->setDrain(drain);
        if (m_services.observer)
            m_services.observer->streamOpened(relay);
        relay->adopt(std::exchange(m_upstream, nullptr), status, headers);
    } else {
        auto *relay = new ResponsesRelay(m_exchange, m_record, m_clock, m_responseHeaders, m_sink);
        relay->setDrain(drain);
        if (m_translation)
            relay->setTransform(m_translation->makeTransform());
        else if (codex && m_exchange && m_exchange->request().path.startsWith("/v1/")) // the OpenAI SDK contract
            relay->setTransform(std::make_unique<OpenAiSseTransform>(QStringLiteral("resp_") + m_record.requestId,
                                                                     m_record.model));
        if (m_services.observer)
            m_services.observer->streamOpened(relay);
        relay->adopt(std::exchange(m_upstream, nullptr), status, headers);
    }
    deleteLater();
}

void FailoverRelay::giveUp(const AccountSelection &selection)
{
    if (m_lastAnswer) {
        HttpHeaders headers = UpstreamErrorEnvelope::headers(UpstreamRequestBuilder::returnableHeaders(m_lastAnswer->headers));
        for (const auto &[name, value] : m_responseHeaders.fields())
            headers.set(name, value);
        const UpstreamErrorEnvelope envelope = lastAnswerEnvelope();
        finish(envelope.status(), headers, envelope.body(), m_lastAnswer->accountId);
        return;
    }
    HttpHeaders headers = m_responseHeaders;
    headers.set("Content-Type", "application/json");
    if (m_lastFailure) {
        finish(m_lastFailure->status, headers, m_lastFailure->body(), m_account.id);
        return;
    }
    if (selection.reason == NoAccountReason::CoolingDown) {
        const qint64 seconds = std::max<qint64>(1, now().secsTo(selection.retryAt));
        headers.set("Retry-After", QByteArray::number(seconds));
        finish(429, headers,
               errorEnvelope(selection.message, QStringLiteral("usage_limit_reached"),
                             QStringLiteral("usage_limit_reached"),
                             {{QStringLiteral("resets_at"), selection.retryAt.toSecsSinceEpoch()}}),
               0);
        return;
    }
    finish(503, headers,
           errorEnvelope(selection.message, QStringLiteral("server_error"), QStringLiteral("no_accounts")), 0);
}

UpstreamErrorEnvelope FailoverRelay::lastAnswerEnvelope() const
{
    QByteArrayList secrets = UpstreamErrorEnvelope::clientCredentials(m_exchange->request().headers);
    if (const std::optional<UpstreamAccount> account = m_services.pool->account(m_lastAnswer->accountId))
        secrets.append(account->upstream.token);
    secrets.append(m_account.upstream.token);
    UpstreamErrorEnvelope envelope(m_lastAnswer->status, m_lastAnswer->body, secrets);
    if (m_lastAnswer->status == 401)
        envelope.markCredentialRefused();
    return envelope;
}

void FailoverRelay::finish(int status, const HttpHeaders &headers, const QByteArray &body, qint64 accountId)
{
    m_done = true;
    m_exchange->respond(status, headers, body);
    m_record.status = status;
    m_record.accountId = accountId;
    m_record.bytesOut = body.size();
    m_record.outcome = accountId != 0 ? QStringLiteral("upstream_error") : QStringLiteral("error");
    m_record.latencyMs = m_clock.elapsed();
    m_sink(m_record, {});
}

void FailoverRelay::onClientClosed()
{
    m_exchange.clear();
    if (m_done)
        return;
    m_closedAt.start();
    // The upstream may already be working on the request: wait for its answer and its usage.
    if (m_upstream && !m_rejected && m_services.drains) {
        setParent(m_services.drains); // the exchange is about to be deleted, and its children with it
        QTimer::singleShot(m_services.timeouts.clientClosedDrainMs, this, [this] {
            dropAttempt();
            endDrain();
        });
        return;
    }
    dropAttempt();
    endDrain();
}

void FailoverRelay::endDrain()
{
    if (m_done)
        return;
    m_done = true;
    m_record.accountId = m_account.id;
    UsageEstimate::chargeClientClosed(m_record, m_requestBytes); // nothing arrived: the estimate
    m_record.latencyMs = m_clock.elapsed();
    m_sink(m_record, {});
    if (m_services.drains && parent() == m_services.drains)
        deleteLater();
}

void FailoverRelay::dropAttempt()
{
    if (!m_upstream)
        return;
    disconnect(m_upstream, nullptr, this, nullptr);
    m_upstream->abort(); // no-op when it already ended; otherwise the connection is not reused
    m_upstream->deleteLater();
    m_upstream = nullptr;
}

} // namespace Proxy
