// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/DeviceCodeLogin.h"

#include "app/core/accounts/oauth/OAuthError.h"
#include "app/core/accounts/oauth/OAuthLog.h"
#include "app/core/accounts/oauth/TokenClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <cmath>

namespace Core {

namespace {

/// Seconds as the server sends them (a number or a numeric string), in ms; -1 when absent/invalid.
qint64 secondsToMs(const QJsonValue &value)
{
    bool ok = value.isDouble();
    double seconds = value.toDouble();
    if (value.isString())
        seconds = value.toString().trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0)
        return -1;
    return qint64(std::llround(seconds * 1000.0));
}

QString firstString(const QJsonObject &object, std::initializer_list<QStringView> keys)
{
    for (QStringView key : keys) {
        const QString value = object.value(key).toString();
        if (!value.isEmpty())
            return value;
    }
    return {};
}

} // namespace

DeviceCodeLogin::DeviceCodeLogin(OAuthEndpoints endpoints, QObject *parent)
    : QObject(parent), m_endpoints(std::move(endpoints)), m_network(new QNetworkAccessManager(this)),
      m_tokens(new TokenClient(m_endpoints, this))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &DeviceCodeLogin::poll);
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, [this] {
        fail(QStringLiteral(
            "the device code expired before the sign-in was completed; start the login again"));
    });
}

DeviceCodeLogin::~DeviceCodeLogin()
{
    cancel();
}

void DeviceCodeLogin::cancel()
{
    ++m_generation;
    m_running = false;
    m_pollTimer.stop();
    m_expiry.stop();
    m_tokens->abortAll();
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_deviceAuthId.clear();
    m_userCode.clear();
}

QNetworkReply *DeviceCodeLogin::postJson(const QUrl &url, const QJsonObject &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(RequestTimeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    return m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void DeviceCodeLogin::start()
{
    cancel();
    m_running = true;
    m_reply =
        postJson(m_endpoints.deviceUserCodeUrl(), {{QStringLiteral("client_id"), m_endpoints.clientId}});
    connect(m_reply.data(), &QNetworkReply::finished, this, &DeviceCodeLogin::onUserCodeFinished);
}

DeviceCodeLogin::Answer DeviceCodeLogin::takeAnswer()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return {};
    m_reply.clear();
    reply->deleteLater();
    return {true, reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
            reply->errorString()};
}

void DeviceCodeLogin::onUserCodeFinished()
{
    const Answer answer = takeAnswer();
    if (!answer.valid)
        return;
    const int status = answer.status;
    const QByteArray &body = answer.body;
    if (status == 0) {
        fail(QStringLiteral("could not start the device login: %1")
                 .arg(OAuthError::network(answer.errorString).message));
        return;
    }
    if (status == 404) {
        fail(QStringLiteral(
            "device login is not available (the auth server answered HTTP 404); use the browser "
            "login or paste the callback URL"));
        return;
    }
    if (status < 200 || status >= 300) {
        fail(QStringLiteral("could not start the device login: %1")
                 .arg(OAuthError::fromHttp(status, body).message));
        return;
    }
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    m_deviceAuthId = root.value(u"device_auth_id").toString();
    m_userCode = firstString(root, {u"user_code", u"usercode"});
    if (m_deviceAuthId.isEmpty() || m_userCode.isEmpty()) {
        fail(QStringLiteral("could not start the device login: %1")
                 .arg(OAuthError::malformed(QStringLiteral("no device_auth_id or user_code")).message));
        return;
    }
    const qint64 intervalMs = secondsToMs(root.value(u"interval"));
    m_intervalMs = intervalMs < 0 ? DefaultIntervalMs : int(qMax<qint64>(MinimumIntervalMs, intervalMs));
    const qint64 expiresInMs = secondsToMs(root.value(u"expires_in"));
    m_expiry.start(
        int(qMin<qint64>(expiresInMs <= 0 ? DefaultExpiresInMs : expiresInMs, 24LL * 3600 * 1000)));
    m_pollTimer.start(m_intervalMs);
    qCInfo(lcOAuth) << "device login started; polling every" << m_intervalMs << "ms";
    emit userCodeReady(m_userCode, m_endpoints.deviceVerificationUrl());
}

void DeviceCodeLogin::poll()
{
    if (!m_running || m_reply)
        return;
    m_reply = postJson(m_endpoints.deviceTokenUrl(), {{QStringLiteral("device_auth_id"), m_deviceAuthId},
                                                      {QStringLiteral("user_code"), m_userCode}});
    connect(m_reply.data(), &QNetworkReply::finished, this, &DeviceCodeLogin::onPollFinished);
}

void DeviceCodeLogin::onPollFinished()
{
    const Answer answer = takeAnswer();
    if (!answer.valid)
        return;
    const int status = answer.status;
    const QByteArray &body = answer.body;
    if (status >= 200 && status < 300) {
        const QJsonObject root = QJsonDocument::fromJson(body).object();
        if (root.contains(u"access_token") || root.contains(u"authorization_code")) {
            finishWith(body);
            return;
        }
        // Anything else (`{"status":"pending"}`): not signed in yet.
    } else if (status != 0 && status != 403 && status != 404 && status < 500 && status != 408 &&
               status != 429) {
        const OAuthError error = OAuthError::fromHttp(status, body);
        if (error.code == u"slow_down") {
            m_intervalMs += DefaultIntervalMs;
        } else if (error.code != u"authorization_pending") {
            fail(QStringLiteral("the device login failed: %1").arg(error.message));
            return;
        }
    } else if (status == 0 || status >= 500) {
        qCInfo(lcOAuth) << "device login poll failed (will retry); HTTP status" << status;
    }
    m_pollTimer.start(m_intervalMs);
}

void DeviceCodeLogin::finishWith(const QByteArray &body)
{
    // The server has accepted the sign-in: the code no longer expires under us.
    m_pollTimer.stop();
    m_expiry.stop();
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const quint64 generation = m_generation;
    auto deliver = [this, generation](const TokenResult &result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            fail(QStringLiteral("the device login could not be completed: %1").arg(result.error->message));
            return;
        }
        const AccountTokens tokens = result.tokens;
        cancel();
        qCInfo(lcOAuth) << "device login succeeded";
        emit succeeded(tokens);
    };
    const QString code = root.value(u"authorization_code").toString();
    if (code.isEmpty()) {
        deliver(TokenClient::parseTokenResponse(body, QDateTime::currentDateTimeUtc()));
        return;
    }
    const QString verifier = root.value(u"code_verifier").toString();
    if (verifier.isEmpty()) {
        fail(QStringLiteral("the device login could not be completed: %1")
                 .arg(OAuthError::malformed(QStringLiteral("an authorization code without a code verifier"))
                          .message));
        return;
    }
    m_tokens->exchangeCode(code, verifier.toLatin1(), m_endpoints.deviceRedirectUri(), deliver);
}

void DeviceCodeLogin::fail(const QString &message)
{
    cancel();
    qCInfo(lcOAuth) << "device login failed:" << message;
    emit failed(message);
}

} // namespace Core
