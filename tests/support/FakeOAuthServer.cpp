// SPDX-License-Identifier: MIT
#include "tests/support/FakeOAuthServer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrlQuery>

namespace Core {

namespace {

using Reply = Proxy::FakeUpstream::Reply;

constexpr auto AuthClaim = QLatin1StringView("https://api.openai.com/auth");

Reply oauthError(int status, const QString &code, const QString &description = {})
{
    QJsonObject body{{QStringLiteral("error"), code}};
    if (!description.isEmpty())
        body.insert(QStringLiteral("error_description"), description);
    return Reply::json(body, status);
}

QString randomHex()
{
    return QString::number(QRandomGenerator::global()->generate64(), 16);
}

/// A form-encoded or JSON body as name → value.
QHash<QString, QString> fieldsOf(const Proxy::FakeUpstream::Request &request)
{
    QHash<QString, QString> fields;
    const QByteArray contentType = request.headers.value("content-type").toLower();
    if (contentType.startsWith("application/json")) {
        const QJsonObject object = QJsonDocument::fromJson(request.body).object();
        for (auto it = object.begin(); it != object.end(); ++it)
            fields.insert(it.key(), it.value().toString());
        return fields;
    }
    QByteArray body = request.body;
    body.replace('+', ' '); // form encoding: '+' is a space, a real '+' arrives as %2B
    const QUrlQuery query(QString::fromLatin1(body));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
        fields.insert(name, value);
    return fields;
}

} // namespace

FakeOAuthServer::FakeOAuthServer(QObject *parent) : QObject(parent)
{
    m_http.setHandler([this](const Request &request) { return handle(request); });
}

FakeOAuthServer::~FakeOAuthServer() = default;

void FakeOAuthServer::setAuthorizeError(const QString &error, const QString &description)
{
    m_authorizeError = error;
    m_authorizeErrorDescription = description;
}

void FakeOAuthServer::setDeviceTiming(double intervalSeconds, double expiresInSeconds)
{
    m_deviceInterval = QString::number(intervalSeconds);
    m_deviceExpiresIn = expiresInSeconds;
}

QString FakeOAuthServer::makeJwt(const QJsonObject &payload)
{
    const auto encode = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray header = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    const QByteArray body = encode(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(header + '.' + body + '.' + encode("fake-signature"));
}

QByteArray FakeOAuthServer::s256(const QByteArray &verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString FakeOAuthServer::issueRefreshToken()
{
    m_latestRefresh = QStringLiteral("rt-fake-%1-%2").arg(++m_serial).arg(randomHex());
    m_validRefresh.insert(m_latestRefresh);
    return m_latestRefresh;
}

QJsonObject FakeOAuthServer::issueTokens()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 exp = now + (m_expiresIn > 0 ? m_expiresIn : 3600);
    const QJsonObject auth{{QStringLiteral("chatgpt_account_id"), m_identity.accountId},
                           {QStringLiteral("chatgpt_plan_type"), m_identity.planType},
                           {QStringLiteral("chatgpt_user_id"), m_identity.userId}};
    m_latestAccess = makeJwt({{QStringLiteral("exp"), exp},
                              {QStringLiteral("iat"), now},
                              {QStringLiteral("jti"), randomHex()},
                              {AuthClaim, auth}});
    const QString idToken = makeJwt({{QStringLiteral("email"), m_identity.email},
                                     {QStringLiteral("exp"), now + 3600},
                                     {QStringLiteral("iat"), now},
                                     {AuthClaim, auth}});
    QJsonObject tokens{{QStringLiteral("access_token"), m_latestAccess},
                       {QStringLiteral("id_token"), idToken},
                       {QStringLiteral("token_type"), QStringLiteral("Bearer")}};
    if (m_expiresIn > 0)
        tokens.insert(QStringLiteral("expires_in"), m_expiresIn);
    tokens.insert(QStringLiteral("refresh_token"), issueRefreshToken());
    return tokens;
}

QString FakeOAuthServer::issueCode(const QString &challenge, const QString &redirectUri)
{
    const QString code = QStringLiteral("code-%1-%2").arg(++m_serial).arg(randomHex());
    m_codes.insert(code, IssuedCode{challenge, redirectUri});
    return code;
}

std::optional<Reply> FakeOAuthServer::injectedFailure(Endpoint endpoint) const
{
    switch (m_failures.value(endpoint, Failure::None)) {
    case Failure::None:
        return std::nullopt;
    case Failure::ServerError:
        return oauthError(500, QStringLiteral("server_error"), QStringLiteral("injected failure"));
    case Failure::InvalidGrant:
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("injected failure"));
    case Failure::NotFound:
        return oauthError(404, QStringLiteral("not_found"));
    }
    return std::nullopt;
}

Reply FakeOAuthServer::handle(const Request &request)
{
    if (request.path == "/oauth/authorize" && request.method == "GET")
        return authorize(request);
    if (request.path == "/oauth/token" && request.method == "POST")
        return token(request);
    if (request.path == "/api/accounts/deviceauth/usercode" && request.method == "POST")
        return deviceUserCode(request);
    if (request.path == "/api/accounts/deviceauth/token" && request.method == "POST")
        return deviceToken(request);
    return oauthError(404, QStringLiteral("not_found"));
}

Reply FakeOAuthServer::authorize(const Request &request)
{
    if (auto failure = injectedFailure(Endpoint::Authorize))
        return *failure;
    const QUrlQuery query(QUrl::fromEncoded(request.target).query(QUrl::FullyEncoded));
    auto item = [&](const char *name) {
        return query.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
    };
    const QString redirect = item("redirect_uri");
    const QString challenge = item("code_challenge");
    if (item("response_type") != u"code" || item("client_id") != m_clientId || redirect.isEmpty() ||
        challenge.isEmpty() || item("code_challenge_method") != u"S256" || item("state").isEmpty())
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("bad authorize query"));
    m_lastChallenge = challenge;

    QUrlQuery back;
    if (m_authorizeError.isEmpty()) {
        back.addQueryItem(QStringLiteral("code"), issueCode(challenge, redirect));
    } else {
        back.addQueryItem(QStringLiteral("error"), m_authorizeError);
        if (!m_authorizeErrorDescription.isEmpty())
            back.addQueryItem(QStringLiteral("error_description"), m_authorizeErrorDescription);
    }
    back.addQueryItem(QStringLiteral("state"), item("state"));
    QUrl location(redirect);
    location.setQuery(back);
    Reply reply;
    reply.status = 302;
    reply.headers.append("Location", location.toEncoded());
    return reply;
}

Reply FakeOAuthServer::token(const Request &request)
{
    const QHash<QString, QString> form = fieldsOf(request);
    const QString grant = form.value(QStringLiteral("grant_type"));
    if (grant == u"refresh_token")
        ++m_refreshRequests;
    else if (grant == u"authorization_code")
        ++m_codeExchanges;
    Reply reply;
    if (auto failure = injectedFailure(Endpoint::Token))
        reply = *failure;
    else if (form.value(QStringLiteral("client_id")) != m_clientId)
        reply = oauthError(401, QStringLiteral("invalid_client"));
    else if (grant == u"authorization_code")
        reply = exchange(form);
    else if (grant == u"refresh_token")
        reply = refresh(form);
    else
        reply = oauthError(400, QStringLiteral("unsupported_grant_type"));
    reply.headDelayMs = m_tokenDelayMs;
    return reply;
}

Reply FakeOAuthServer::exchange(const QHash<QString, QString> &form)
{
    const QString code = form.value(QStringLiteral("code"));
    if (!m_codes.contains(code))
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("unknown or used code"));
    const IssuedCode issued = m_codes.take(code); // single use
    if (form.value(QStringLiteral("redirect_uri")) != issued.redirectUri)
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("redirect_uri mismatch"));
    if (QString::fromLatin1(s256(form.value(QStringLiteral("code_verifier")).toLatin1())) != issued.challenge)
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("code_verifier mismatch"));
    return Reply::json(issueTokens());
}

Reply FakeOAuthServer::refresh(const QHash<QString, QString> &form)
{
    const QString token = form.value(QStringLiteral("refresh_token"));
    if (m_spentRefresh.contains(token))
        return oauthError(400, QStringLiteral("refresh_token_reused"), QStringLiteral("already used"));
    if (!m_validRefresh.remove(token))
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("unknown refresh token"));
    m_spentRefresh.insert(token);
    QJsonObject tokens = issueTokens();
    if (m_omitRefreshToken)
        tokens.remove(QStringLiteral("refresh_token"));
    return Reply::json(tokens);
}

Reply FakeOAuthServer::deviceUserCode(const Request &request)
{
    if (auto failure = injectedFailure(Endpoint::DeviceUserCode))
        return *failure;
    if (fieldsOf(request).value(QStringLiteral("client_id")) != m_clientId)
        return oauthError(401, QStringLiteral("invalid_client"));
    return Reply::json({{QStringLiteral("device_auth_id"), QStringLiteral("dev-auth-1")},
                        {QStringLiteral("user_code"), deviceUserCode()},
                        {QStringLiteral("interval"), m_deviceInterval},
                        {QStringLiteral("expires_in"), m_deviceExpiresIn}});
}

Reply FakeOAuthServer::deviceToken(const Request &request)
{
    ++m_devicePolls;
    if (auto failure = injectedFailure(Endpoint::DeviceToken))
        return *failure;
    const QHash<QString, QString> fields = fieldsOf(request);
    if (fields.value(QStringLiteral("device_auth_id")) != u"dev-auth-1" ||
        fields.value(QStringLiteral("user_code")) != deviceUserCode())
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("unknown device code"));
    if (m_devicePendingPolls < 0 || m_devicePolls <= m_devicePendingPolls)
        return oauthError(403, QStringLiteral("deviceauth_authorization_pending"));
    if (!m_deviceReturnsCode)
        return Reply::json(issueTokens());
    const QByteArray verifier = "device-verifier-" + randomHex().toLatin1();
    const QUrl redirect = baseUrl().resolved(QUrl(QStringLiteral("/deviceauth/callback")));
    return Reply::json({{QStringLiteral("authorization_code"),
                         issueCode(QString::fromLatin1(s256(verifier)), redirect.toString())},
                        {QStringLiteral("code_verifier"), QString::fromLatin1(verifier)},
                        {QStringLiteral("code_challenge"), QString::fromLatin1(s256(verifier))}});
}

} // namespace Core
