// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyConfig.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace Core {

/// The outcome of one upstream check, with the sentence the console shows.
struct UpstreamProbeResult final
{
    enum class Outcome
    {
        Connected,
        NotConfigured,
        TokenRefused,
        HttpError,
        ConnectionFailed,
        TimedOut
    };

    Outcome outcome = Outcome::NotConfigured;
    int httpStatus = 0; ///< 0 when no HTTP answer arrived
    int modelCount = 0; ///< models in the upstream's list (Connected only)
    qint64 elapsedMs = 0;
    QString detail; ///< why it failed; never contains the token
    QDateTime serverDate; ///< the answer's `Date` header (UTC); invalid without an answer or header
    QDateTime receivedAt; ///< local UTC time the answer arrived, to compare serverDate with

    bool ok() const { return outcome == Outcome::Connected; }
    /// "Connected: HTTP 200, 3 models (42 ms)" or "Failed: <reason>".
    QString text() const;
};

/// "Test connection": fetches the model list of an upstream with its credentials, the request
/// the proxy itself sends (UpstreamRequestBuilder::models), asynchronously and with a time limit.
/// One check at a time; a new start() cancels the running one. Lives on the GUI thread (its
/// QNetworkAccessManager is its child).
class UpstreamProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamProbe)

public:
    static constexpr int DefaultTimeoutMs = 10'000;

    explicit UpstreamProbe(QObject *parent = nullptr);
    ~UpstreamProbe() override;

    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    bool isRunning() const { return !m_reply.isNull(); }
    /// Starts the check; finished() follows (at once, queued, when @p upstream is not configured).
    void start(const Proxy::UpstreamConfig &upstream);
    /// Drops a running check without emitting finished().
    void cancel();

signals:
    void finished(const Core::UpstreamProbeResult &result);

private:
    void onReplyFinished();
    UpstreamProbeResult evaluate(QNetworkReply &reply) const;
    QString redacted(QString text) const;

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
    QElapsedTimer m_elapsed;
    int m_timeoutMs = DefaultTimeoutMs;
    bool m_timedOut = false;
    QByteArray m_token; // only to keep it out of error texts
    QList<QSslError> m_sslErrors; // of the running check's handshake, for its failure text
};

} // namespace Core
