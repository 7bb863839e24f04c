// SPDX-License-Identifier: MIT
#include "proxy/relay/UpstreamErrorEnvelope.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Proxy {

namespace {

/// What the upstream said about its refusal, before cleaning.
struct Reason
{
    QString message;
    QJsonObject upstreamError; ///< the OpenAI-shaped error object, when there was one
};

QString typeFor(int status)
{
    if (status == 401 || status == 403)
        return QStringLiteral("authentication_error");
    if (status == 429)
        return QStringLiteral("rate_limit_error");
    return status >= 500 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error");
}

QString messageOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        return object.value(u"message").isString() ? object.value(u"message").toString()
                                                   : object.value(u"msg").toString();
    }
    if (value.isArray()) // FastAPI-style validation errors: the first one says enough
        return messageOf(value.toArray().first());
    return {};
}

Reason reasonOf(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (json.value(u"error").isObject()) {
        const QJsonObject error = json.value(u"error").toObject();
        return {messageOf(error), error};
    }
    bool known = false;
    for (const QStringView key : {u"error", u"detail", u"message"}) {
        const QString message = messageOf(json.value(key));
        if (!message.isEmpty())
            return {message, {}};
        known = known || json.contains(key);
    }
    if (known) // a shape we know that says nothing: the status will have to do
        return {};
    // Not a shape we know: the text itself (the first bytes are enough to read it).
    return {QString::fromUtf8(body.left(8 * UpstreamErrorEnvelope::MaxReasonChars)), {}};
}

/// Masks credentials: the exact @p secrets, and anything shaped like a bearer token, an sk- key
/// (OpenAI's and Keygate's) or a JWT (ChatGPT access tokens), wherever the upstream echoed it.
QString masked(QString text, const QByteArrayList &secrets)
{
    static const QRegularExpression shapes(QStringLiteral(
        R"((Bearer\s+)\S+|\bsk-[A-Za-z0-9_\-]{6,}|\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]*)?)"),
        QRegularExpression::CaseInsensitiveOption);
    for (const QByteArray &secret : secrets)
        if (secret.size() >= 4)
            text.replace(QString::fromUtf8(secret), QStringLiteral("[redacted]"));
    text.replace(shapes, QStringLiteral("\\1[redacted]"));
    return text;
}

/// Control characters become spaces, runs of white space one space, and the text is capped.
QString cleaned(const QString &text)
{
    QString out;
    out.reserve(std::min(text.size(), UpstreamErrorEnvelope::MaxReasonChars));
    for (const QChar c : text) {
        if (out.size() >= UpstreamErrorEnvelope::MaxReasonChars)
            break;
        const bool space = c.isSpace() || c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
        if (space && (out.isEmpty() || out.back() == u' '))
            continue;
        out.append(space ? QChar(u' ') : c);
    }
    return out.trimmed();
}

QString nonEmptyString(const QJsonObject &object, QStringView key)
{
    const QJsonValue value = object.value(key);
    return value.isString() && !value.toString().isEmpty() ? value.toString() : QString();
}

} // namespace

UpstreamErrorEnvelope::UpstreamErrorEnvelope(int status, const QByteArray &body, const QByteArrayList &secrets)
    : m_status(status)
{
    const Reason reason = reasonOf(body);
    QString message = cleaned(masked(reason.message, secrets));
    if (message.isEmpty())
        message = QStringLiteral("HTTP %1 from the upstream").arg(status);
    const QJsonObject &upstream = reason.upstreamError;
    const QString type = nonEmptyString(upstream, u"type");
    const QString code = nonEmptyString(upstream, u"code");
    const QString param = nonEmptyString(upstream, u"param");
    for (const QStringView fact : {u"resets_at", u"resets_in_seconds", u"plan_type"})
        if (upstream.contains(fact) && !upstream.value(fact).isObject() && !upstream.value(fact).isArray())
            m_error.insert(fact.toString(), upstream.value(fact));
    m_error.insert(QStringLiteral("message"), QString(QStringLiteral("upstream: ") + message));
    m_error.insert(QStringLiteral("type"), type.isEmpty() ? typeFor(status) : cleaned(masked(type, secrets)));
    m_error.insert(QStringLiteral("code"), code.isEmpty() ? QStringLiteral("upstream_error") : cleaned(masked(code, secrets)));
    m_error.insert(QStringLiteral("param"), param.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(cleaned(masked(param, secrets))));
}

void UpstreamErrorEnvelope::markCredentialRefused()
{
    m_status = 502;
    m_error.insert(QStringLiteral("message"),
                   QString(m_error.value(u"message").toString()
                           + QStringLiteral(" (the upstream refused the account's credential; the account needs re-authentication)")));
    m_error.insert(QStringLiteral("type"), QStringLiteral("server_error"));
    m_error.insert(QStringLiteral("code"), QStringLiteral("upstream_auth_failed"));
    m_error.insert(QStringLiteral("param"), QJsonValue(QJsonValue::Null));
}

QByteArray UpstreamErrorEnvelope::body() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), m_error}}).toJson(QJsonDocument::Compact);
}

HttpHeaders UpstreamErrorEnvelope::headers(HttpHeaders returnable)
{
    for (const QByteArray &name : {QByteArrayLiteral("content-type"), QByteArrayLiteral("content-encoding"),
                                   QByteArrayLiteral("content-length"), QByteArrayLiteral("content-md5"),
                                   QByteArrayLiteral("etag")})
        returnable.remove(name);
    returnable.set("Content-Type", "application/json");
    return returnable;
}

QByteArrayList UpstreamErrorEnvelope::clientCredentials(const HttpHeaders &requestHeaders)
{
    QByteArrayList out;
    const QByteArray authorization = requestHeaders.value("authorization").trimmed();
    const qsizetype space = authorization.indexOf(' ');
    if (space > 0)
        out.append(authorization.mid(space + 1).trimmed());
    const QByteArray apiKey = requestHeaders.value("x-api-key").trimmed();
    if (!apiKey.isEmpty())
        out.append(apiKey);
    return out;
}

} // namespace Proxy
