// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/OAuthError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

constexpr qsizetype MaxDetailChars = 200;

/// The sentence shown for a permanent code; empty for other codes.
QString permanentMessage(const QString &code)
{
    if (code == u"refresh_token_reused")
        return QStringLiteral("the refresh token was already used (refresh_token_reused); log in again");
    if (code == u"refresh_token_expired")
        return QStringLiteral("the refresh token has expired (refresh_token_expired); log in again");
    if (code == u"refresh_token_invalidated")
        return QStringLiteral("the refresh token was revoked (refresh_token_invalidated); log in again");
    if (code == u"invalid_grant")
        return QStringLiteral("the sign-in is no longer valid (invalid_grant); log in again");
    if (code == u"token_invalidated")
        return QStringLiteral("the token was invalidated (token_invalidated); log in again");
    if (code == u"token_expired")
        return QStringLiteral("the token has expired (token_expired); log in again");
    if (code == u"app_session_terminated")
        return QStringLiteral("the ChatGPT session was ended (app_session_terminated); log in again");
    return {};
}

} // namespace

bool OAuthError::isPermanentCode(const QString &code)
{
    return !permanentMessage(code).isEmpty();
}

OAuthError OAuthError::fromHttp(int status, const QByteArray &body)
{
    OAuthError error;
    error.httpStatus = status;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue errorValue = root.value(u"error");
    QString description;
    if (errorValue.isObject()) {
        const QJsonObject object = errorValue.toObject();
        error.code = object.value(u"code").toString();
        if (error.code.isEmpty())
            error.code = object.value(u"type").toString();
        description = object.value(u"message").toString();
    } else {
        error.code = errorValue.toString();
        description = root.value(u"error_description").toString();
    }
    if (error.code.isEmpty())
        error.code = root.value(u"code").toString();
    if (description.isEmpty())
        description = root.value(u"message").toString();
    error.code = error.code.trimmed().left(MaxDetailChars);
    description = description.simplified().left(MaxDetailChars);

    if (isPermanentCode(error.code)) {
        error.kind = Kind::Permanent;
        error.message = permanentMessage(error.code);
        return error;
    }
    error.kind = (status >= 500 || status == 408 || status == 429) ? Kind::Transient : Kind::Rejected;
    QString what = QStringLiteral("the auth server answered HTTP %1").arg(status);
    if (!error.code.isEmpty())
        what += QStringLiteral(" (%1)").arg(error.code);
    if (!description.isEmpty())
        what += QStringLiteral(": ") + description;
    error.message = what;
    return error;
}

OAuthError OAuthError::network(const QString &detail)
{
    OAuthError error;
    error.kind = Kind::Transient;
    error.message = QStringLiteral("could not reach the auth server: %1").arg(detail.left(MaxDetailChars));
    return error;
}

OAuthError OAuthError::timedOut(int timeoutMs)
{
    OAuthError error;
    error.kind = Kind::Transient;
    error.message =
        QStringLiteral("the auth server did not answer within %1 s").arg(double(timeoutMs) / 1000.0);
    return error;
}

OAuthError OAuthError::malformed(const QString &what)
{
    OAuthError error;
    error.kind = Kind::Rejected;
    error.message = QStringLiteral("the auth server's answer is unusable: %1").arg(what);
    return error;
}

} // namespace Core
