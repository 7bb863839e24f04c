// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/TokenClient.h"

#include "app/core/accounts/oauth/IdTokenClaims.h"
#include "app/core/accounts/oauth/OAuthLog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace Core {

namespace {

QByteArray formEncode(const QList<QPair<QByteArray, QString>> &fields)
{
    QByteArray body;
    for (const auto &[name, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        // Percent-encode everything but unreserved characters: '+' and '&' in a value stay data.
        body += name + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

QString redacted(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets)
        if (!secret.isEmpty())
            text.replace(secret, QStringLiteral("…"));
    return text;
}

} // namespace

TokenClient::TokenClient(OAuthEndpoints endpoints, QObject *parent)
    : QObject(parent), m_endpoints(std::move(endpoints)), m_network(new QNetworkAccessManager(this))
{}

TokenClient::~TokenClient()
{
    abortAll();
}

void TokenClient::abortAll()
{
    const auto pending = std::exchange(m_pending, {});
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        QNetworkReply *reply = it.key();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void TokenClient::exchangeCode(const QString &code, const QByteArray &verifier, const QUrl &redirectUri,
                               Callback done)
{
    QNetworkRequest request(m_endpoints.tokenUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    const QByteArray body = formEncode({
        {"grant_type", QStringLiteral("authorization_code")},
        {"client_id", m_endpoints.clientId},
        {"code", code},
        {"code_verifier", QString::fromLatin1(verifier)},
        {"redirect_uri", redirectUri.toString(QUrl::FullyEncoded)},
    });
    send(request, body, m_exchangeTimeoutMs, {code, QString::fromLatin1(verifier)}, std::move(done));
}

void TokenClient::refresh(const QString &refreshToken, Callback done)
{
    QNetworkRequest request(m_endpoints.tokenUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    const QJsonObject json{
        {QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
        {QStringLiteral("client_id"), m_endpoints.clientId},
        {QStringLiteral("refresh_token"), refreshToken},
        {QStringLiteral("scope"), m_endpoints.scope},
    };
    send(request, QJsonDocument(json).toJson(QJsonDocument::Compact), m_refreshTimeoutMs, {refreshToken},
         std::move(done));
}

void TokenClient::send(const QNetworkRequest &request, const QByteArray &body, int timeoutMs,
                       QStringList secrets, Callback done)
{
    QNetworkRequest copy = request;
    // Token answers must never come from or go to a cache.
    copy.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    copy.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    QNetworkReply *reply = m_network->post(copy, body);
    m_pending.insert(reply, Pending{std::move(done), std::move(secrets), timeoutMs, false});
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, reply] {
        auto it = m_pending.find(reply);
        if (it == m_pending.end())
            return;
        it->timedOut = true;
        reply->abort(); // finished() follows
    });
    timer->start(timeoutMs);
}

void TokenClient::onFinished(QNetworkReply *reply)
{
    const auto it = m_pending.find(reply);
    if (it == m_pending.end())
        return;
    const Pending pending = *it;
    m_pending.erase(it);
    reply->deleteLater();

    TokenResult result;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (pending.timedOut) {
        result = TokenResult::failure(OAuthError::timedOut(pending.timeoutMs));
    } else if (status == 0) {
        result = TokenResult::failure(OAuthError::network(redacted(reply->errorString(), pending.secrets)));
    } else if (status < 200 || status >= 300) {
        OAuthError error = OAuthError::fromHttp(status, body);
        error.message = redacted(error.message, pending.secrets);
        result = TokenResult::failure(error);
    } else {
        result = parseTokenResponse(body, QDateTime::currentDateTimeUtc());
    }
    if (!result.ok())
        qCInfo(lcOAuth) << "token request failed:" << result.error->message;
    if (pending.done)
        pending.done(result);
}

TokenResult TokenClient::parseTokenResponse(const QByteArray &body, const QDateTime &now)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return TokenResult::failure(OAuthError::malformed(QStringLiteral("not a JSON object")));
    const QJsonObject root = document.object();
    TokenResult result;
    AccountTokens &tokens = result.tokens;
    tokens.accessToken = root.value(u"access_token").toString();
    tokens.refreshToken = root.value(u"refresh_token").toString();
    tokens.idToken = root.value(u"id_token").toString();
    if (tokens.accessToken.isEmpty())
        return TokenResult::failure(OAuthError::malformed(QStringLiteral("no access token")));
    if (tokens.refreshToken.isEmpty())
        return TokenResult::failure(OAuthError::malformed(QStringLiteral("no new refresh token")));

    const IdTokenClaims id = IdTokenClaims::fromJwt(tokens.idToken);
    const IdTokenClaims access = IdTokenClaims::fromJwt(tokens.accessToken);
    auto first = [](const QString &a, const QString &b) { return a.isEmpty() ? b : a; };
    tokens.email = first(id.email, access.email);
    tokens.chatgptAccountId = first(id.chatgptAccountId, access.chatgptAccountId);
    tokens.planType = first(id.planType, access.planType);
    tokens.chatgptUserId = first(id.chatgptUserId, access.chatgptUserId);
    const double expiresIn = root.value(u"expires_in").toDouble();
    if (expiresIn > 0)
        tokens.accessExpiresAt = now.toUTC().addMSecs(qint64(expiresIn * 1000.0));
    else
        tokens.accessExpiresAt = access.expiresAt;
    return result;
}

} // namespace Core
