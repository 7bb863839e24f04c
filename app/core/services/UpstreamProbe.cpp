// SPDX-License-Identifier: MIT
#include "app/core/services/UpstreamProbe.h"

#include "proxy/relay/ModelsCatalog.h"
#include "proxy/relay/UpstreamRequestBuilder.h"
#include "proxy/upstream/CaBundle.h"
#include "proxy/upstream/TlsFailureMessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace Core {

namespace {

constexpr qsizetype MaxDetailChars = 200;

/// The upstream's own error message from a JSON error body (`error.message`, `detail`), if any.
QString errorMessageOf(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue error = root.value(u"error");
    QString message = error.isObject() ? error.toObject().value(u"message").toString() : error.toString();
    if (message.isEmpty())
        message = root.value(u"detail").toString();
    return message.simplified().left(MaxDetailChars);
}

/// An HTTP `Date` (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") as UTC; Qt's RFC 2822 parser wants
/// a numeric zone instead of "GMT".
QDateTime httpDate(QByteArray value)
{
    value = value.trimmed();
    if (value.endsWith(" GMT"))
        value = value.chopped(3) + "+0000";
    return QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date).toUTC();
}

} // namespace

QString UpstreamProbeResult::text() const
{
    switch (outcome) {
    case Outcome::Connected:
        return QStringLiteral("Connected: HTTP %1, %2 model%3 (%4 ms)")
            .arg(httpStatus)
            .arg(modelCount)
            .arg(modelCount == 1 ? QString() : QStringLiteral("s"))
            .arg(elapsedMs);
    case Outcome::TokenRefused:
        return QStringLiteral("Failed: HTTP %1, the upstream refused the token (set a new token or import a "
                              "fresh login)")
            .arg(httpStatus);
    case Outcome::HttpError:
        return detail.isEmpty()
                   ? QStringLiteral("Failed: HTTP %1 from the upstream").arg(httpStatus)
                   : QStringLiteral("Failed: HTTP %1 from the upstream: %2").arg(httpStatus).arg(detail);
    case Outcome::NotConfigured:
    case Outcome::ConnectionFailed:
    case Outcome::TimedOut:
        break;
    }
    return QStringLiteral("Failed: ") + detail;
}

UpstreamProbe::UpstreamProbe(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    m_timeout.setSingleShot(true);
    m_timeout.setTimerType(Qt::PreciseTimer);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort(); // finished() follows
    });
}

UpstreamProbe::~UpstreamProbe()
{
    cancel();
}

void UpstreamProbe::cancel()
{
    m_timeout.stop();
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void UpstreamProbe::start(const Proxy::UpstreamConfig &upstream)
{
    cancel();
    if (!upstream.isConfigured()) {
        UpstreamProbeResult result;
        result.detail = upstream.kind == Proxy::UpstreamConfig::Kind::None
                            ? QStringLiteral("no upstream is set")
                            : QStringLiteral("no upstream token is stored");
        QMetaObject::invokeMethod(
            this, [this, result] { emit finished(result); }, Qt::QueuedConnection);
        return;
    }
    m_token = upstream.token;
    Proxy::HttpHeaders clientHeaders;
    clientHeaders.append("User-Agent", "keygate");
    const Proxy::UpstreamRequest request = Proxy::UpstreamRequestBuilder(upstream).models(clientHeaders);
    QNetworkRequest networkRequest(request.url);
    for (const auto &[name, value] : request.headers.fields())
        networkRequest.setRawHeader(name, value);
    if (!request.caCertificates.isEmpty()) // the account's company CA, as the proxy trusts it
        networkRequest.setSslConfiguration(Proxy::CaBundle::configurationTrusting(request.caCertificates));
    // QNAM keys its cached connections by host and port only, and a connection keeps the TLS
    // configuration it was made with: a check after the CA changed must not reuse one.
    m_network->clearConnectionCache();
    m_timedOut = false;
    m_sslErrors.clear();
    m_elapsed.start();
    m_reply = m_network->get(networkRequest);
    connect(m_reply.data(), &QNetworkReply::finished, this, &UpstreamProbe::onReplyFinished);
    // Never ignored: they only name why the handshake failed.
    connect(m_reply.data(), &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
    m_timeout.start(m_timeoutMs);
}

void UpstreamProbe::onReplyFinished()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return;
    m_timeout.stop();
    m_reply.clear();
    UpstreamProbeResult result = evaluate(*reply);
    result.elapsedMs = m_elapsed.elapsed();
    reply->deleteLater();
    m_token.clear();
    emit finished(result);
}

UpstreamProbeResult UpstreamProbe::evaluate(QNetworkReply &reply) const
{
    using Outcome = UpstreamProbeResult::Outcome;
    UpstreamProbeResult result;
    result.httpStatus = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_timedOut) {
        result.outcome = Outcome::TimedOut;
        result.httpStatus = 0;
        result.detail = QStringLiteral("no answer from %1 within %2 s")
                            .arg(reply.url().authority())
                            .arg(double(m_timeoutMs) / 1000.0);
        return result;
    }
    if (result.httpStatus == 0) {
        result.outcome = Outcome::ConnectionFailed;
        const QString where = reply.url().authority();
        switch (reply.error()) {
        case QNetworkReply::ConnectionRefusedError:
            result.detail =
                QStringLiteral("connection refused by %1 (is the upstream running, is the URL right?)")
                    .arg(where);
            break;
        case QNetworkReply::HostNotFoundError:
            result.detail = QStringLiteral("host not found: %1").arg(reply.url().host());
            break;
        default:
            result.detail = m_sslErrors.isEmpty() ? redacted(reply.errorString())
                                                  : Proxy::TlsFailureMessage::describe(m_sslErrors, reply.url().host());
            break;
        }
        return result;
    }
    result.receivedAt = QDateTime::currentDateTimeUtc();
    result.serverDate = httpDate(reply.rawHeader("Date"));
    const QByteArray body = reply.readAll();
    if (result.httpStatus == 401 || result.httpStatus == 403) {
        result.outcome = Outcome::TokenRefused;
        return result;
    }
    if (result.httpStatus != 200) {
        result.outcome = Outcome::HttpError;
        result.detail = redacted(errorMessageOf(body));
        return result;
    }
    result.outcome = Outcome::Connected;
    const QJsonObject list = QJsonDocument::fromJson(Proxy::ModelsCatalog::toOpenAIList(body)).object();
    result.modelCount = int(list.value(u"data").toArray().size());
    return result;
}

QString UpstreamProbe::redacted(QString text) const
{
    if (!m_token.isEmpty())
        text.replace(QString::fromUtf8(m_token), QStringLiteral("…"));
    return text;
}

} // namespace Core
